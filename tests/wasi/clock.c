// Clocks and sleeping: realtime is a plausible date, monotonic advances, sleeps and
// poll_oneoff clock subscriptions (relative, absolute, the earliest of several) wait at
// least as long as asked and not absurdly longer, and bad clock ids fail.
#include <poll.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

#include "check.h"

static long long mono(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

#define MS 1000000LL
// An upper bound on any sleep here, generous for loaded machines.
#define SLACK (2000 * MS)

static int poll_clocks(const __wasi_subscription_t* subs, int n, __wasi_event_t* ev, __wasi_size_t* got) {
  return __wasi_poll_oneoff(subs, ev, (__wasi_size_t)n, got);
}

static __wasi_subscription_t clock_sub(uint64_t userdata, __wasi_clockid_t id, uint64_t timeout, int abs) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = userdata;
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = id;
  s.u.u.clock.timeout = timeout;
  s.u.u.clock.flags = abs ? __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME : 0;
  return s;
}

int main(void) {
  SECTION("realtime") {
    struct timespec t;
    CHECK(clock_gettime(CLOCK_REALTIME, &t) == 0);
    CHECK(t.tv_sec > 1577836800 && t.tv_sec < 4102444800LL);  // between 2020 and 2100
    time_t now = time(NULL);
    CHECK(now >= t.tv_sec && now < t.tv_sec + 5);
    struct timeval tv;
    CHECK(gettimeofday(&tv, NULL) == 0 && tv.tv_sec >= t.tv_sec && tv.tv_sec < t.tv_sec + 5);
    CHECK(t.tv_nsec >= 0 && t.tv_nsec < 1000000000);
  }
  SECTION("monotonic advances") {
    long long a = mono(), b = a;
    for (int i = 0; i < 1000000 && b == a; ++i) b = mono();
    CHECK(b > a);
    long long c = mono();
    CHECK(c >= b);
  }
  SECTION("resolution") {
    struct timespec r;
    CHECK(clock_getres(CLOCK_REALTIME, &r) == 0 && (r.tv_sec > 0 || r.tv_nsec > 0) && r.tv_sec == 0);
    CHECK(clock_getres(CLOCK_MONOTONIC, &r) == 0 && (r.tv_sec > 0 || r.tv_nsec > 0) && r.tv_sec == 0);
    __wasi_timestamp_t res;
    CHECK_WASI(__wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, &res), 0);
    CHECK(res > 0 && res <= 1000000);
  }
  SECTION("cpu clocks") {
    __wasi_timestamp_t t0, t1;
    CHECK_WASI(__wasi_clock_time_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, 1, &t0), 0);
    volatile unsigned x = 0;
    for (unsigned i = 0; i < 3000000; ++i) x += i;
    CHECK_WASI(__wasi_clock_time_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, 1, &t1), 0);
    CHECK(t1 > t0);
    CHECK_WASI(__wasi_clock_time_get(__WASI_CLOCKID_THREAD_CPUTIME_ID, 1, &t0), 0);
  }
  SECTION("bad clock ids") {
    __wasi_timestamp_t t;
    CHECK_WASI(__wasi_clock_time_get(9, 1, &t), __WASI_ERRNO_INVAL);
    CHECK_WASI(__wasi_clock_res_get(9, &t), __WASI_ERRNO_INVAL);
  }
  SECTION("nanosleep") {
    long long a = mono();
    struct timespec req = {0, 30 * MS};
    CHECK(nanosleep(&req, NULL) == 0);
    long long d = mono() - a;
    CHECK(d >= 30 * MS && d < SLACK);
    a = mono();
    CHECK(usleep(20000) == 0);
    d = mono() - a;
    CHECK(d >= 20 * MS && d < SLACK);
    req.tv_nsec = 0;
    CHECK(nanosleep(&req, NULL) == 0);
  }
  SECTION("clock_nanosleep absolute") {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    long long start = (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
    long long target = start + 40 * MS;
    t.tv_sec = target / 1000000000LL;
    t.tv_nsec = target % 1000000000LL;
    CHECK(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == 0);
    long long now = mono();
    CHECK(now >= target && now - start < SLACK);
    // A deadline in the past returns at once.
    t.tv_sec = 1;
    t.tv_nsec = 0;
    CHECK(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == 0);
    CHECK(mono() - now < SLACK);
  }
  SECTION("poll with no descriptors") {
    long long a = mono();
    CHECK(poll(NULL, 0, 25) == 0);
    long long d = mono() - a;
    CHECK(d >= 25 * MS && d < SLACK);
  }
  SECTION("poll_oneoff relative clocks") {
    __wasi_subscription_t subs[2] = {clock_sub(1111, __WASI_CLOCKID_MONOTONIC, 5000 * MS, 0),
                                     clock_sub(2222, __WASI_CLOCKID_MONOTONIC, 30 * MS, 0)};
    __wasi_event_t ev[2];
    memset(ev, 0xee, sizeof ev);
    __wasi_size_t got = 0;
    long long a = mono();
    CHECK_WASI(poll_clocks(subs, 2, ev, &got), 0);
    long long d = mono() - a;
    CHECK(got == 1);
    CHECK(ev[0].userdata == 2222 && ev[0].error == 0 && ev[0].type == __WASI_EVENTTYPE_CLOCK);
    CHECK(d >= 30 * MS && d < 4000 * MS);
  }
  SECTION("poll_oneoff absolute clock") {
    __wasi_timestamp_t now;
    CHECK_WASI(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &now), 0);
    __wasi_subscription_t s = clock_sub(7, __WASI_CLOCKID_MONOTONIC, now + 35 * MS, 1);
    __wasi_event_t ev;
    __wasi_size_t got = 0;
    CHECK_WASI(poll_clocks(&s, 1, &ev, &got), 0);
    long long after = mono();
    CHECK(got == 1 && ev.userdata == 7 && ev.error == 0);
    CHECK(after >= (long long)(now + 35 * MS) && after - (long long)now < SLACK);
    __wasi_timestamp_t rt;
    CHECK_WASI(__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &rt), 0);
    s = clock_sub(8, __WASI_CLOCKID_REALTIME, rt + 20 * MS, 1);
    long long a = mono();
    CHECK_WASI(poll_clocks(&s, 1, &ev, &got), 0);
    CHECK(got == 1 && ev.userdata == 8 && mono() - a >= 15 * MS);
  }
  SECTION("poll_oneoff errors") {
    __wasi_event_t ev;
    __wasi_size_t got = 99;
    CHECK(__wasi_poll_oneoff(NULL, &ev, 0, &got) == __WASI_ERRNO_INVAL);
  }
  return DONE();
}
