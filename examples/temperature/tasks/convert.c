// Temp data conversion: a reading in degrees Celsius in (as text, e.g. "21.5"), the same
// reading in kelvin out with two decimals ("294.65"). Input that is not a number gives "",
// which pelato does not publish: the reading is dropped.
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pelato.h"

static pelato_buf empty(void) { return (pelato_buf){NULL, 0}; }

pelato_buf exec_task(const char* input, size_t len) {
  // The input is not NUL-terminated: copy it to parse it with strtod.
  char text[64];
  if (len >= sizeof text) return empty();
  memcpy(text, input, len);
  text[len] = '\0';

  char* end;
  double celsius = strtod(text, &end);
  if (end == text) return empty();  // no number at all
  while (isspace((unsigned char)*end)) ++end;
  if (*end != '\0') return empty();  // a number followed by something else ("21.5abc")
  if (!isfinite(celsius)) return empty();  // "nan", "inf"

  pelato_buf out = {malloc(32), 0};  // the SDK frees it after the host has copied it
  out.len = (size_t)snprintf(out.data, 32, "%.2f", celsius + 273.15);
  return out;
}
