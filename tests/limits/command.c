// A plain WASI command (exports _start): not a task.
#include <stdio.h>

int main(void) {
  puts("hello from a command");
  return 0;
}
