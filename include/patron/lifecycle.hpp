// SPDX-License-Identifier: MIT
// Umbrella header of the lifecycle area: state machines as data, built-in lifecycles, replay,
// Markov migration CLV, marketing triggers.
#ifndef PATRON_LIFECYCLE_HPP
#define PATRON_LIFECYCLE_HPP

#include "patron/lifecycle/features.hpp"
#include "patron/lifecycle/state_machine.hpp"
#include "patron/lifecycle/builtin.hpp"
#include "patron/lifecycle/replay.hpp"
#include "patron/lifecycle/markov.hpp"
#include "patron/lifecycle/table_io.hpp"
#include "patron/lifecycle/triggers.hpp"

#endif  // PATRON_LIFECYCLE_HPP
