# libwabt 1.0.32's interp-inl.h spells two destructors as `~FreeList<Ref>()` and `~FreeList<T>()`, which C++20 and
# later reject. We build in C++23, so we compile against a copy of that one header, made at
# configure time from the installed one with just those two spellings fixed.
# The header is the one wabt::wabt compiles against: /usr/include on the build machine, the
# unpacked arm64 package in the aarch64 cross build (cmake/toolchains/aarch64-linux-gnu.cmake).
get_target_property(_wabt_include wabt::wabt INTERFACE_INCLUDE_DIRECTORIES)
find_file(_wabt_inl wabt/interp/interp-inl.h PATHS ${_wabt_include} NO_DEFAULT_PATH NO_CACHE REQUIRED)
set(_compat_dir ${PROJECT_BINARY_DIR}/wabt-compat)
file(READ ${_wabt_inl} _inl)
string(REPLACE "::~FreeList<Ref>()" "::~FreeList()" _inl "${_inl}")
string(REPLACE "FreeList<T>::~FreeList<T>()" "FreeList<T>::~FreeList()" _inl "${_inl}")
file(WRITE ${_compat_dir}/wabt/interp/interp-inl.h "${_inl}")

add_library(wabt_interp INTERFACE)
target_include_directories(wabt_interp BEFORE INTERFACE ${_compat_dir})
target_link_libraries(wabt_interp INTERFACE wabt::wabt)
