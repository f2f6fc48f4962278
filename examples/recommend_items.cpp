// SPDX-License-Identifier: MIT
// Basket rules and "customers who bought this also bought" on the Groceries baskets.
// Run from the repository root: ./build/examples/example_recommend_items
#include <iostream>
#include <string>
#include <vector>

#include "patron/recommend.hpp"

int main(int argc, char** argv) {
  namespace rc = patron::recommend;
  const std::string path = argc > 1 ? argv[1] : "../shared/data/groceries.csv";
  const rc::basket_set baskets = rc::read_baskets(path);

  // Association rules: itemsets in >= 1% of baskets, rules with confidence >= 0.3.
  rc::itemset_options io;
  io.min_support = 0.01;
  const auto itemsets = rc::frequent_itemsets(baskets, io);
  rc::rule_options ro;
  ro.min_threshold = 0.3;
  const auto rules = rc::association_rules(itemsets, baskets.size(), ro);
  std::cout << itemsets.size() << " itemsets, " << rules.size() << " rules\n";

  // Item-item cosine over baskets, then the best additions to a basket.
  const rc::interactions matrix = rc::make_interactions(baskets);
  const rc::item_knn knn = rc::item_knn::fit(matrix, rc::item_knn_options{});
  const std::vector<std::uint32_t> basket{baskets.items.find("whole milk"),
                                          baskets.items.find("butter")};
  const std::vector<double> weights{1.0, 1.0};
  std::vector<std::uint32_t> items(5);
  std::vector<double> scores(5);
  const std::size_t n = knn.recommend_for(basket, weights, items, scores);
  std::cout << "basket {whole milk, butter} -> add:\n";
  for (std::size_t j = 0; j < n; ++j)
    std::cout << "  " << baskets.items.name(items[j]) << " (" << scores[j] << ")\n";

  // Similar items to yogurt.
  const auto yogurt = baskets.items.find("yogurt");
  const auto nb = knn.neighbours(yogurt);
  const auto sim = knn.similarities(yogurt);
  std::cout << "similar to yogurt:";
  for (std::size_t j = 0; j < 3 && j < nb.size(); ++j)
    std::cout << ' ' << baskets.items.name(nb[j]) << " (" << sim[j] << ')';
  std::cout << '\n';
  return 0;
}
