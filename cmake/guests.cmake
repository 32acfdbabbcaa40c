# Guest wasm modules built at build time for tests and benchmarks, from C/C++ (clang-19,
# wasi-libc) and Rust (Debian rustc). They land in ${PELATO_GUEST_DIR}/NAME.wasm.
set(PELATO_GUEST_DIR ${PROJECT_BINARY_DIR}/guests)
file(MAKE_DIRECTORY ${PELATO_GUEST_DIR})
find_program(PELATO_WASM_CC clang-19 REQUIRED)
find_program(PELATO_WASM_CXX clang++-19 REQUIRED)
find_program(PELATO_WASM_RUSTC rustc PATHS /usr/bin NO_DEFAULT_PATH)
find_program(PELATO_WAT2WASM wat2wasm REQUIRED)
add_custom_target(guests ALL)

# pelato_guest(NAME SOURCE [REACTOR] [FLAGS ...]): C or C++ by extension.
function(pelato_guest name source)
  cmake_parse_arguments(G "REACTOR" "" "FLAGS" ${ARGN})
  get_filename_component(ext ${source} EXT)
  set(cc ${PELATO_WASM_CC})
  if(ext MATCHES "\\.(cc|cpp)$")
    set(cc ${PELATO_WASM_CXX})
    list(APPEND G_FLAGS -fno-exceptions)
  endif()
  if(G_REACTOR)
    list(APPEND G_FLAGS -mexec-model=reactor)
  endif()
  set(out ${PELATO_GUEST_DIR}/${name}.wasm)
  add_custom_command(OUTPUT ${out}
    COMMAND ${cc} --target=wasm32-wasi --sysroot=/usr -O2 -I${PROJECT_SOURCE_DIR}/sdk/c ${G_FLAGS}
            ${CMAKE_CURRENT_SOURCE_DIR}/${source} -o ${out}
    DEPENDS ${source} ${PROJECT_SOURCE_DIR}/sdk/c/pelato.h
    COMMENT "guest ${name}.wasm" VERBATIM)
  add_custom_target(guest_${name} DEPENDS ${out})
  add_dependencies(guests guest_${name})
endfunction()

function(pelato_guest_rust name source)
  if(NOT PELATO_WASM_RUSTC)
    message(WARNING "Debian rustc not found: Rust guest ${name} skipped (run `make setup`)")
    return()
  endif()
  set(out ${PELATO_GUEST_DIR}/${name}.wasm)
  add_custom_command(OUTPUT ${out}
    COMMAND ${PELATO_WASM_RUSTC} --target wasm32-wasi -O --edition 2021
            ${CMAKE_CURRENT_SOURCE_DIR}/${source} -o ${out}
    DEPENDS ${source} COMMENT "guest ${name}.wasm (rust)" VERBATIM)
  add_custom_target(guest_${name} DEPENDS ${out})
  add_dependencies(guests guest_${name})
endfunction()

function(pelato_guest_wat name source)
  set(out ${PELATO_GUEST_DIR}/${name}.wasm)
  add_custom_command(OUTPUT ${out}
    COMMAND ${PELATO_WAT2WASM} --debug-names ${CMAKE_CURRENT_SOURCE_DIR}/${source} -o ${out}
    DEPENDS ${source} COMMENT "guest ${name}.wasm (wat)" VERBATIM)
  add_custom_target(guest_${name} DEPENDS ${out})
  add_dependencies(guests guest_${name})
endfunction()
