// SPDX-License-Identifier: MIT
// RFM area umbrella: metrics, binning and scores, segment rule tables, files.
#ifndef PATRON_RFM_HPP
#define PATRON_RFM_HPP

#include "patron/rfm/metrics.hpp"
#include "patron/rfm/binning.hpp"
#include "patron/rfm/segments.hpp"
#include "patron/rfm/io.hpp"

#endif  // PATRON_RFM_HPP
