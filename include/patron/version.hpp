// SPDX-License-Identifier: MIT
// patron's version: macros for the headers in use, patron::version() for the compiled library.
#ifndef PATRON_VERSION_HPP
#define PATRON_VERSION_HPP

#define PATRON_VERSION_MAJOR 1
#define PATRON_VERSION_MINOR 0
#define PATRON_VERSION_PATCH 0
/// major·10000 + minor·100 + patch, for `#if PATRON_VERSION >= 10100`.
#define PATRON_VERSION (PATRON_VERSION_MAJOR * 10000 + PATRON_VERSION_MINOR * 100 + PATRON_VERSION_PATCH)
#define PATRON_VERSION_STRING "1.0.0"

namespace patron::inline v1 {

/// The version of the compiled library ("1.0.0"); compare with PATRON_VERSION_STRING to
/// catch headers and library from different releases.
[[nodiscard]] const char* version() noexcept;

}  // namespace patron::inline v1

#endif  // PATRON_VERSION_HPP
