// SPDX-License-Identifier: MIT
// Content-based recommendations from product descriptions: TF-IDF over Online Retail's
// Description column, then the items most like what a customer bought (bought or not by anyone).
// Run from the repository root: ./build/examples/example_recommend_content
#include <iostream>
#include <string>
#include <vector>

#include "patron/recommend.hpp"

int main(int argc, char** argv) {
  namespace rc = patron::recommend;
  const std::string path = argc > 1 ? argv[1] : "../shared/data/online_retail.csv.gz";
  // The purchase log doubles as the catalogue: one text per StockCode.
  const rc::item_catalog catalog = rc::read_item_catalog(path, "StockCode", "Description");
  std::cout << catalog.items.size() << " items from " << catalog.rows << " rows (" << catalog.blank_texts
            << " rows without a description)\n";
  const rc::content_model model = rc::content_model::fit_text(catalog.texts);

  // A customer who bought the white hanging heart T-light holder (85123A) twice.
  std::uint32_t bought = 0;
  while (bought < catalog.items.size() && catalog.items[bought] != "85123A") ++bought;
  if (bought == catalog.items.size()) return 1;
  const std::vector<std::uint32_t> basket{bought};
  const std::vector<double> weights{2.0};
  std::vector<std::uint32_t> items(5);
  std::vector<double> scores(5);
  const std::size_t n = model.recommend_for(basket, weights, items, scores);
  std::cout << "bought \"" << catalog.texts[bought] << "\" -> also consider:\n";
  for (std::size_t j = 0; j < n; ++j)
    std::cout << "  " << catalog.items[items[j]] << "  " << catalog.texts[items[j]] << " (" << scores[j] << ")\n";
  return 0;
}
