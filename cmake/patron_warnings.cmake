# SPDX-License-Identifier: MIT
# Warnings and sanitizers, PRIVATE to patron's own targets: never inherited by a consumer.
function(patron_set_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wdouble-promotion
    $<$<BOOL:${PATRON_WERROR}>:-Werror>
    $<$<BOOL:${PATRON_NATIVE}>:-march=native>)
  if(PATRON_SANITIZE)
    target_compile_options(${target} PRIVATE
      -fsanitize=${PATRON_SANITIZE} -fno-sanitize-recover=all -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=${PATRON_SANITIZE})
    target_compile_definitions(${target} PRIVATE _GLIBCXX_ASSERTIONS PATRON_DEVELOPMENT_CHECKS=1)
  endif()
endfunction()
