// SPDX-License-Identifier: MIT
// Umbrella header of the recommendation area: baskets, rules, interactions, item-item, ALS,
// baselines and ranking metrics (namespace patron::recommend).
#ifndef PATRON_RECOMMEND_HPP
#define PATRON_RECOMMEND_HPP

#include "patron/recommend/baskets.hpp"
#include "patron/recommend/rules.hpp"
#include "patron/recommend/interactions.hpp"
#include "patron/recommend/ranking.hpp"
#include "patron/recommend/item_knn.hpp"
#include "patron/recommend/als.hpp"
#include "patron/recommend/popularity.hpp"
#include "patron/recommend/metrics.hpp"
#include "patron/recommend/content.hpp"
#include "patron/recommend/rerank.hpp"

#endif  // PATRON_RECOMMEND_HPP
