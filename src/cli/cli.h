// The `pelato` command line: parses arguments and hands each subcommand its options.
#pragma once

namespace pelato::cli {

int run(int argc, char** argv);

}  // namespace pelato::cli
