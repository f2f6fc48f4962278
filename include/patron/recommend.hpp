// SPDX-License-Identifier: MIT
// Umbrella header of the recommendation area: baskets, rules, interactions, item-item, ALS,
// baselines and ranking metrics (namespace patron::recommend).
#ifndef PATRON_RECOMMEND_HPP
#define PATRON_RECOMMEND_HPP

#include "patron/recommend/baskets.hpp"
#include "patron/recommend/rules.hpp"

#endif  // PATRON_RECOMMEND_HPP
