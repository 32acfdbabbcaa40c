/* Kernel: a JSON tokenizer and recursive-descent parser over a generated document. Measures
 * byte-at-a-time branching, table-free character classes and recursion. bench_json_setup(n)
 * generates a document of n records (untimed) and returns its length; bench_json(passes)
 * parses it `passes` times and returns a checksum of what it saw (value counts, integer
 * parts, string hashes), or 0xFFFFFFFF on a syntax error. Numbers are parsed with integer
 * arithmetic only, so native and wasm runs must agree bit for bit. */
#include <stdint.h>

#ifdef __wasm__
#define BENCH_EXPORT(name) __attribute__((export_name(name)))
#else
#define BENCH_EXPORT(name)
#endif

#define JSON_MAX (8u << 20)

static char doc[JSON_MAX];
static uint32_t doc_len;

/* ---- generator ---- */

static uint32_t rng;
static uint32_t next(void) {
  rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5;
  return rng;
}

static uint32_t pos;
static int room(uint32_t n) { return pos + n < JSON_MAX; }
static void put(const char* s) {
  while (*s && pos < JSON_MAX - 1) doc[pos++] = *s++;
}
static void putu(uint32_t v) {
  char tmp[12];
  int n = 0;
  do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
  while (n && pos < JSON_MAX - 1) doc[pos++] = tmp[--n];
}

static const char* const words[] = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot",
                                    "golf", "hotel", "india", "juliet", "kilo", "lima"};

static void genRecord(uint32_t i) {
  put("{\"id\":"); putu(i);
  put(",\"name\":\""); put(words[next() % 12]); put("_"); putu(next() % 100000); put("\"");
  put(",\"score\":");
  if (next() & 1) put("-");
  putu(next() % 10000); put("."); putu(next() % 1000);
  if ((next() & 3) == 0) { put("e"); putu(next() % 20); }
  put(",\"active\":"); put(next() & 1 ? "true" : "false");
  put(",\"note\":\"line\\nbreak \\\"quoted\\\" caf\\u00e9 tab\\t\"");
  put(",\"tags\":[");
  uint32_t t = next() % 5;
  for (uint32_t k = 0; k < t; ++k) { if (k) put(","); put("\""); put(words[next() % 12]); put("\""); }
  put("],\"pos\":{\"x\":"); putu(next() % 4096); put(",\"y\":"); putu(next() % 4096);
  put(",\"z\":null}");
  put(",\"hist\":[");
  for (uint32_t k = 0; k < 6; ++k) { if (k) put(", "); putu(next() % 256); }
  put("]}");
}

BENCH_EXPORT("bench_json_setup") uint32_t bench_json_setup(uint32_t records) {
  rng = 0x2545f491u;
  pos = 0;
  put("{\"version\": 3, \"records\": [\n");
  for (uint32_t i = 0; i < records && room(512); ++i) {
    if (i) put(",\n");
    put("  ");
    genRecord(i);
  }
  put("\n], \"end\": true}\n");
  doc_len = pos;
  return doc_len;
}

/* ---- parser ---- */

typedef struct {
  const char* p;
  const char* end;
  uint32_t objects, arrays, strings, numbers, literals;
  uint32_t intSum, strHash, depth;
  int error;
} Parser;

static void ws(Parser* s) {
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t')) ++s->p;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static void parseString(Parser* s) {
  uint32_t h = 2166136261u; /* FNV-1a over the decoded code units */
  ++s->p;                   /* opening quote */
  while (s->p < s->end) {
    char c = *s->p++;
    uint32_t unit;
    if (c == '"') { s->strings++; s->strHash = s->strHash * 31 + h; return; }
    if ((unsigned char)c < 0x20) { s->error = 1; return; }
    if (c == '\\') {
      if (s->p >= s->end) break;
      char e = *s->p++;
      switch (e) {
        case '"': unit = '"'; break;
        case '\\': unit = '\\'; break;
        case '/': unit = '/'; break;
        case 'b': unit = 8; break;
        case 'f': unit = 12; break;
        case 'n': unit = 10; break;
        case 'r': unit = 13; break;
        case 't': unit = 9; break;
        case 'u': {
          if (s->end - s->p < 4) { s->error = 1; return; }
          unit = 0;
          for (int i = 0; i < 4; ++i) {
            int v = hexval(s->p[i]);
            if (v < 0) { s->error = 1; return; }
            unit = unit << 4 | (uint32_t)v;
          }
          s->p += 4;
          break;
        }
        default: s->error = 1; return;
      }
    } else {
      unit = (unsigned char)c;
    }
    h = (h ^ unit) * 16777619u;
  }
  s->error = 1; /* unterminated */
}

static void parseNumber(Parser* s) {
  int neg = 0;
  uint32_t ip = 0, frac = 0, exp = 0;
  if (*s->p == '-') { neg = 1; ++s->p; }
  if (s->p >= s->end || *s->p < '0' || *s->p > '9') { s->error = 1; return; }
  while (s->p < s->end && *s->p >= '0' && *s->p <= '9') ip = ip * 10 + (uint32_t)(*s->p++ - '0');
  if (s->p < s->end && *s->p == '.') {
    ++s->p;
    if (s->p >= s->end || *s->p < '0' || *s->p > '9') { s->error = 1; return; }
    while (s->p < s->end && *s->p >= '0' && *s->p <= '9') frac = frac * 10 + (uint32_t)(*s->p++ - '0');
  }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
    ++s->p;
    if (s->p < s->end && (*s->p == '+' || *s->p == '-')) ++s->p;
    if (s->p >= s->end || *s->p < '0' || *s->p > '9') { s->error = 1; return; }
    while (s->p < s->end && *s->p >= '0' && *s->p <= '9') exp = exp * 10 + (uint32_t)(*s->p++ - '0');
  }
  s->numbers++;
  s->intSum += (neg ? 0u - ip : ip) ^ (frac << 7) ^ (exp << 21);
}

static int lit(Parser* s, const char* w) {
  const char* p = s->p;
  while (*w) {
    if (p >= s->end || *p != *w) return 0;
    ++p; ++w;
  }
  s->p = p;
  s->literals++;
  return 1;
}

static void parseValue(Parser* s);

static void parseObject(Parser* s) {
  ++s->p;
  s->objects++;
  ws(s);
  if (s->p < s->end && *s->p == '}') { ++s->p; return; }
  for (;;) {
    ws(s);
    if (s->p >= s->end || *s->p != '"') { s->error = 1; return; }
    parseString(s);
    if (s->error) return;
    ws(s);
    if (s->p >= s->end || *s->p != ':') { s->error = 1; return; }
    ++s->p;
    parseValue(s);
    if (s->error) return;
    ws(s);
    if (s->p >= s->end) { s->error = 1; return; }
    if (*s->p == ',') { ++s->p; continue; }
    if (*s->p == '}') { ++s->p; return; }
    s->error = 1;
    return;
  }
}

static void parseArray(Parser* s) {
  ++s->p;
  s->arrays++;
  ws(s);
  if (s->p < s->end && *s->p == ']') { ++s->p; return; }
  for (;;) {
    parseValue(s);
    if (s->error) return;
    ws(s);
    if (s->p >= s->end) { s->error = 1; return; }
    if (*s->p == ',') { ++s->p; continue; }
    if (*s->p == ']') { ++s->p; return; }
    s->error = 1;
    return;
  }
}

static void parseValue(Parser* s) {
  ws(s);
  if (s->p >= s->end || ++s->depth > 64) { s->error = 1; return; }
  switch (*s->p) {
    case '{': parseObject(s); break;
    case '[': parseArray(s); break;
    case '"': parseString(s); break;
    case 't': if (!lit(s, "true")) s->error = 1; break;
    case 'f': if (!lit(s, "false")) s->error = 1; break;
    case 'n': if (!lit(s, "null")) s->error = 1; break;
    default: parseNumber(s); break;
  }
  --s->depth;
}

static uint32_t parseOnce(const char* text, uint32_t len) {
  Parser s = {text, text + len, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  parseValue(&s);
  ws(&s);
  if (s.error || s.p != s.end) return 0xFFFFFFFFu;
  uint32_t r = s.strHash;
  r = r * 31 + s.intSum;
  r = r * 31 + s.objects;
  r = r * 31 + s.arrays;
  r = r * 31 + s.strings;
  r = r * 31 + s.numbers;
  r = r * 31 + s.literals;
  return r;
}

BENCH_EXPORT("bench_json") uint32_t bench_json(uint32_t passes) {
  uint32_t r = 0;
  for (uint32_t i = 0; i < passes; ++i) {
    uint32_t once = parseOnce(doc, doc_len);
    if (once == 0xFFFFFFFFu) return once;
    r = r * 0x9e3779b1u + once;
  }
  return r;
}

/* A malformed document must be rejected: returns 1 when the parser says so. */
BENCH_EXPORT("bench_json_selftest") uint32_t bench_json_selftest(void) {
  static const char bad[] = "{\"a\": [1, 2,, 3]}";
  static const char good[] = "{\"a\": [1, -2.5e3, \"x\\u0041\"], \"b\": {\"c\": null}}";
  return parseOnce(bad, sizeof bad - 1) == 0xFFFFFFFFu && parseOnce(good, sizeof good - 1) != 0xFFFFFFFFu;
}
