#include "cli/cli.h"

int main(int argc, char** argv) { return pelato::cli::run(argc, argv); }
