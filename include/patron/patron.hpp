// SPDX-License-Identifier: MIT
// Umbrella header: everything public in patron. Include single headers to compile faster.
#ifndef PATRON_PATRON_HPP
#define PATRON_PATRON_HPP

#include "patron/version.hpp"
#include "patron/error.hpp"

#include "patron/data/date.hpp"
#include "patron/data/id_table.hpp"
#include "patron/data/transaction_log.hpp"
#include "patron/data/read.hpp"
#include "patron/data/summary.hpp"
#include "patron/data/summary_io.hpp"
#include "patron/data/simulate.hpp"
#include "patron/data/accumulator.hpp"

#include "patron/real_number.hpp"
#include "patron/value/discount.hpp"
#include "patron/value/clv_formulas.hpp"
#include "patron/models/fit_result.hpp"
#include "patron/models/bgnbd.hpp"
#include "patron/models/mbgnbd.hpp"
#include "patron/models/pnbd.hpp"
#include "patron/models/gamma_gamma.hpp"
#include "patron/models/clv.hpp"
#include "patron/models/model_io.hpp"
#include "patron/models/bgbb.hpp"
#include "patron/models/sbg.hpp"
#include "patron/models/evaluate.hpp"
#include "patron/data/discrete_io.hpp"

#include "patron/rfm.hpp"
#include "patron/value/tiers.hpp"
#include "patron/data/table_io.hpp"

#include "patron/segment.hpp"

#include "patron/recommend.hpp"

#include "patron/lifecycle.hpp"

#include "patron/crm/presets.hpp"
#include "patron/crm/export.hpp"

#include "patron/campaign.hpp"
#include "patron/report.hpp"

#endif  // PATRON_PATRON_HPP
