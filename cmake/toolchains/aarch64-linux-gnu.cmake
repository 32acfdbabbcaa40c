# Cross-compiling for aarch64 (arm64) Linux on Debian amd64 with g++-aarch64-linux-gnu, for
# `pelato-host` run under qemu-aarch64 (scripts/build-aarch64; scripts/setup-aarch64 installs all
# of it). The arm64 libraries are Debian multiarch packages in /usr/lib/aarch64-linux-gnu, except
# wabt (not Multi-Arch: same), unpacked into PELATO_AARCH64_DEPS (default build/aarch64-deps/root).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

if(NOT PELATO_AARCH64_DEPS)
  set(PELATO_AARCH64_DEPS "${CMAKE_CURRENT_LIST_DIR}/../../build/aarch64-deps/root")
endif()
get_filename_component(PELATO_AARCH64_DEPS "${PELATO_AARCH64_DEPS}" ABSOLUTE)
set(PELATO_AARCH64_DEPS "${PELATO_AARCH64_DEPS}" CACHE PATH "Unpacked arm64 packages (scripts/setup-aarch64)")
# try_compile projects re-read this file; they need the same roots.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES PELATO_AARCH64_DEPS)

# Libraries, headers and CMake packages only from the arm64 places under these roots ("/" is
# multiarch: CMAKE_LIBRARY_ARCHITECTURE picks lib/aarch64-linux-gnu); programs from the build
# machine (e.g. pkg-config).
set(CMAKE_FIND_ROOT_PATH "${PELATO_AARCH64_DEPS}" /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# pkg-config must read the arm64 .pc files, not the amd64 ones it finds by default.
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
