/* The FMA peak of one core, in float32 GFLOP/s: a loop of FMAs on registers
 * only (no memory), 12 independent accumulators (more than latency x
 * pipes on any x86-64 core so far), at the vector width given.
 *
 *   peak 512|256 [seconds]    prints "peak: <width> bits <GFLOP/s>"
 *
 * Built by bench/common.py with the C compiler of the build. Inline
 * assembly, so that no compiler can fold or reorder the chain away. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ACCUMULATORS 12

/* The thread's CPU time: on a machine shared with other work, the time the
 * loop was really running, so that the peak is the core's and not the
 * share of it the scheduler gave us. */
static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

#define FMA12(r)                                                               \
  "vfmadd231ps %%" r "14, %%" r "15, %%" r "0\n\t"                             \
  "vfmadd231ps %%" r "14, %%" r "15, %%" r "1\n\t"                             \
  "vfmadd231ps %%" r "14, %%" r "15, %%" r "2\n\t"                             \
  "vfmadd231ps %%" r "14, %%" r "15, %%" r "3\n\t"                             \
  "vfmadd231ps %%" r "14, %%" r "15, %%" r "4\n\t"                             \
  "vfmadd231ps %%" r "14, %%" r "15, %%" r "5\n\t"                             \
  "vfmadd231ps %%" r "14, %%" r "15, %%" r "6\n\t"                             \
  "vfmadd231ps %%" r "14, %%" r "15, %%" r "7\n\t"                             \
  "vfmadd231ps %%" r "14, %%" r "15, %%" r "8\n\t"                             \
  "vfmadd231ps %%" r "14, %%" r "15, %%" r "9\n\t"                             \
  "vfmadd231ps %%" r "14, %%" r "15, %%" r "10\n\t"                            \
  "vfmadd231ps %%" r "14, %%" r "15, %%" r "11\n\t"

/* `iterations` x 4 x 12 FMAs of `bits`-wide vectors. */
static void run(int bits, long iterations) {
  if (bits == 512)
    __asm__ volatile("vxorps %%xmm14, %%xmm14, %%xmm14\n\t"
                     "vxorps %%xmm15, %%xmm15, %%xmm15\n\t"
                     "1:\n\t" FMA12("zmm") FMA12("zmm") FMA12("zmm")
                         FMA12("zmm") "dec %0\n\t"
                     "jnz 1b\n\t"
                     "vzeroupper"
                     : "+r"(iterations)
                     :
                     : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
                       "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm14",
                       "xmm15", "cc");
  else
    __asm__ volatile("vxorps %%xmm14, %%xmm14, %%xmm14\n\t"
                     "vxorps %%xmm15, %%xmm15, %%xmm15\n\t"
                     "1:\n\t" FMA12("ymm") FMA12("ymm") FMA12("ymm")
                         FMA12("ymm") "dec %0\n\t"
                     "jnz 1b\n\t"
                     "vzeroupper"
                     : "+r"(iterations)
                     :
                     : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
                       "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm14",
                       "xmm15", "cc");
}

int main(int argc, char **argv) {
  int bits = argc > 1 ? atoi(argv[1]) : 256;
  double seconds = argc > 2 ? atof(argv[2]) : 0.2;
  if (bits != 256 && bits != 512) {
    fprintf(stderr, "usage: peak 512|256 [seconds]\n");
    return 2;
  }
  /* Grow the count until a run takes `seconds` (the clock ramps up too). */
  long iterations = 1000;
  double elapsed = 0;
  for (;;) {
    double start = now();
    run(bits, iterations);
    elapsed = now() - start;
    if (elapsed >= seconds)
      break;
    iterations *= elapsed > 0.01 ? (long)(1.2 * seconds / elapsed) + 1 : 10;
  }
  double flops = 2.0 * iterations * 4 * ACCUMULATORS * (bits / 32);
  printf("peak: %d bits %.1f\n", bits, flops / elapsed * 1e-9);
  return 0;
}
