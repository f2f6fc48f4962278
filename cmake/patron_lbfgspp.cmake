# SPDX-License-Identifier: MIT
# Wraps Debian's header-only LBFGSpp (no CMake package of its own) as the imported target
# patron::lbfgspp, so nothing passes include directories around in variables.
if(NOT TARGET patron::lbfgspp)
  find_path(PATRON_LBFGSPP_INCLUDE_DIR NAMES LBFGS.h PATH_SUFFIXES LBFGSpp/.. REQUIRED)
  add_library(patron::lbfgspp INTERFACE IMPORTED)
  set_target_properties(patron::lbfgspp PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${PATRON_LBFGSPP_INCLUDE_DIR}")
endif()
