// Compiler messages about a task point at the copy in gen/<component>/; users edit
// DIR/tasks/<code>. This rewrites every mention of the copy — by absolute path, or by the
// relative name the compiler was given, when it stands as a file name (followed by ':' or '('
// as clang, rustc and asc print positions) — to the user's own path. Pure.
#pragma once

#include <string>
#include <string_view>

namespace pelato::pipeline {

// `genDir` is the task's gen folder (absolute), `taskFile` the copy's name in it, `userPath`
// what to show instead (e.g. examples/temperature/tasks/convert.c).
std::string mapCompilerOutput(std::string_view text, std::string_view genDir, std::string_view taskFile,
                              std::string_view userPath);

}  // namespace pelato::pipeline
