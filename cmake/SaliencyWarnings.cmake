# Warnings for our own targets only (third-party headers are included as SYSTEM by their imported targets).
function(saliency_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Woverloaded-virtual
                                           -Wno-unused-parameter
                                           -Wno-missing-field-initializers)  # C++20 designated initialisers leave the rest defaulted on purpose
endfunction()
