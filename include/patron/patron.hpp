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

#include "patron/lifecycle.hpp"

#endif  // PATRON_PATRON_HPP
