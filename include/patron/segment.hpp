// SPDX-License-Identifier: MIT
// Customer segmentation: feature scaling, k-means (Lloyd/Hamerly/mini-batch), silhouette and
// Calinski–Harabasz, cluster profiles with generated names, saved models.
#ifndef PATRON_SEGMENT_HPP
#define PATRON_SEGMENT_HPP

#include "patron/segment/features.hpp"
#include "patron/segment/kmeans.hpp"
#include "patron/segment/metrics.hpp"
#include "patron/segment/model.hpp"
#include "patron/segment/profile.hpp"

#endif  // PATRON_SEGMENT_HPP
