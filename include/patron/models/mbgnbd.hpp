// SPDX-License-Identifier: MIT
// MBG/NBD (Batislam, Denizel & Filiztekin 2007): BG/NBD with drop-out possible after the first purchase.
#ifndef PATRON_MODELS_MBGNBD_HPP
#define PATRON_MODELS_MBGNBD_HPP

#include "patron/models/bgnbd.hpp"

namespace patron::inline v1 {

/// MBG/NBD: same parameters (r, alpha, a, b) and members as bgnbd (see basic_bgnbd); unlike
/// BG/NBD, P(alive) < 1 for customers with x = 0. Reference: Batislam, Denizel & Filiztekin
/// (2007), "Empirical validation and comparison of models for customer base analysis", IJRM 24(3).
using mbgnbd = basic_bgnbd<true>;

}  // namespace patron::inline v1

#endif  // PATRON_MODELS_MBGNBD_HPP
