// Data filter: a temperature in kelvin in (as text), the same text out when it is a plausible
// reading, between 173.15 K and 373.15 K (-100 °C to 100 °C); anything else is a measurement
// error and gives "", which pelato does not publish: the reading is dropped.
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "pelato.h"

static pelato_buf empty(void) { return (pelato_buf){NULL, 0}; }

pelato_buf exec_task(const char* input, size_t len) {
  char text[64];  // the input is not NUL-terminated: copy it to parse it with strtod
  if (len >= sizeof text) return empty();
  memcpy(text, input, len);
  text[len] = '\0';

  char* end;
  double kelvin = strtod(text, &end);
  if (end == text) return empty();
  while (isspace((unsigned char)*end)) ++end;
  if (*end != '\0') return empty();
  if (!(kelvin >= 173.15 && kelvin <= 373.15)) return empty();  // also drops NaN

  pelato_buf out = {malloc(len), len};  // passed through unchanged
  memcpy(out.data, input, len);
  return out;
}
