/*
 * One chunk of the household's batch receipt check in one native call (issue 15 §5): protocol/receipt.ts's
 * receiptChunkSums over blst's C library, with the same rules and the same result bytes.
 *
 *   receiptChunkSums(items, coefficients) -> { bad: number[], W: Uint8Array | null, T: Uint8Array | null }
 *
 * items: per receipt T then ω, 48 + 48 bytes compressed (the pool's packing); coefficients: 16 random bytes per
 * receipt, big-endian, made odd (never 0) as protocol/'s `| 1n`. ω must decode canonically, not be the identity and
 * lie in the prime-order subgroup (privacy-critical: protocol.md §Payment); T must decode canonically and not be the
 * identity (no subgroup check: it was checked when it arrived). bad: the indexes of the items that do not decode;
 * W = Σ r_i·ω_i and T = Σ r_i·T_i over the others, compressed, or null when none decodes.
 *
 * N-API only (js_native_api.h/node_api.h): the same binary loads in every Node and Electron of its platform.
 *
 * Built twice on x86-64 (binding.gyp): receipt_sums.node runs everywhere, receipt_sums_adx.node uses blst's mulx/adcx
 * code (faster) and refuses to load on a CPU without ADX and BMI2, before any of it runs; the loader tries it first.
 */
#include <stdlib.h>
#include <string.h>
#include <node_api.h>
#include "blst.h"
#ifdef __ADX__
#include <cpuid.h>

/* CPUID leaf 7: EBX bit 8 BMI2 (mulx), bit 19 ADX (adcx, adox). */
static int cpu_has_adx(void) {
  unsigned int eax, ebx, ecx, edx;
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
  return (ebx >> 8 & 1) && (ebx >> 19 & 1);
}
#endif

#define ITEM_BYTES 96
#define POINT_BYTES 48
#define COEFF_BYTES 16

/* blst_p1_uncompress already refuses what protocol/curve.ts refuses (no compressed flag, x >= p, a malformed
 * identity, x with no point); the identity itself decodes there and is refused here. */
static int decode(blst_p1_affine *out, const uint8_t *bytes, int subgroup) {
  if (blst_p1_uncompress(out, bytes) != BLST_SUCCESS || blst_p1_affine_is_inf(out)) return 0;
  return !subgroup || blst_p1_affine_in_g1(out);
}

/* Σ k_i·P_i over n >= 1 points; blst's Pippenger reads one point past the end for n == 1. */
static void msm(blst_p1 *out, const blst_p1_affine *points, const uint8_t *scalars, size_t n, void *scratch) {
  if (n == 1) {
    blst_p1 p;
    blst_p1_from_affine(&p, points);
    blst_p1_mult(out, &p, scalars, 8 * COEFF_BYTES);
    return;
  }
  const blst_p1_affine *ps[2] = { points, NULL };
  const uint8_t *ks[2] = { scalars, NULL };
  blst_p1s_mult_pippenger(out, ps, n, ks, 8 * COEFF_BYTES, scratch);
}

/* NULL, with a JS exception pending, when V8 cannot allocate. */
static napi_value compressed(napi_env env, const blst_p1 *p) {
  void *data;
  napi_value buffer, array;
  if (napi_create_arraybuffer(env, POINT_BYTES, &data, &buffer) != napi_ok) return NULL;
  blst_p1_compress(data, p);
  if (napi_create_typedarray(env, napi_uint8_array, POINT_BYTES, buffer, 0, &array) != napi_ok) return NULL;
  return array;
}

static int bytes_arg(napi_env env, napi_value value, const uint8_t **data, size_t *length) {
  bool is;
  napi_typedarray_type type;
  if (napi_is_typedarray(env, value, &is) != napi_ok || !is) return 0;
  if (napi_get_typedarray_info(env, value, &type, length, (void **)data, NULL, NULL) != napi_ok) return 0;
  return type == napi_uint8_array;
}

static napi_value receipt_chunk_sums(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  const uint8_t *items, *coefficients;
  size_t items_length, coefficients_length;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 2 || !bytes_arg(env, argv[0], &items, &items_length) || !bytes_arg(env, argv[1], &coefficients, &coefficients_length)) {
    napi_throw_type_error(env, NULL, "receiptChunkSums(items, coefficients) takes two Uint8Arrays");
    return NULL;
  }
  size_t n = items_length / ITEM_BYTES;
  if (items_length % ITEM_BYTES != 0 || coefficients_length != COEFF_BYTES * n) {
    napi_throw_range_error(env, NULL, "items are 96 bytes each (T then the receipt) and coefficients 16 bytes per item");
    return NULL;
  }

  /* One allocation: the decoded ω and T, their coefficients little-endian (blst's order), Pippenger's scratch. */
  size_t scratch_bytes = n > 1 ? blst_p1s_mult_pippenger_scratch_sizeof(n) : 0;
  size_t affine_bytes = 2 * n * sizeof(blst_p1_affine);
  uint8_t *memory = malloc(affine_bytes + COEFF_BYTES * n + scratch_bytes + 1);
  if (memory == NULL) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  blst_p1_affine *ws = (blst_p1_affine *)memory, *ts = ws + n;
  uint8_t *scalars = memory + affine_bytes;
  void *scratch = scalars + COEFF_BYTES * n;

  napi_value result, bad, W, T;
  napi_create_object(env, &result);
  napi_create_array(env, &bad);
  uint32_t bad_count = 0;
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    const uint8_t *item = items + ITEM_BYTES * i;
    if (!decode(&ts[m], item, 0) || !decode(&ws[m], item + POINT_BYTES, 1)) {
      napi_value index;
      napi_create_uint32(env, (uint32_t)i, &index);
      napi_set_element(env, bad, bad_count++, index);
      continue;
    }
    const uint8_t *r = coefficients + COEFF_BYTES * i;
    for (size_t b = 0; b < COEFF_BYTES; b++) scalars[COEFF_BYTES * m + b] = r[COEFF_BYTES - 1 - b];
    scalars[COEFF_BYTES * m] |= 1;
    m++;
  }
  if (m == 0) {
    napi_get_null(env, &W);
    napi_get_null(env, &T);
  } else {
    blst_p1 sum;
    msm(&sum, ws, scalars, m, scratch);
    W = compressed(env, &sum);
    msm(&sum, ts, scalars, m, scratch);
    T = W ? compressed(env, &sum) : NULL;
  }
  free(memory);
  if (W == NULL || T == NULL) return NULL;
  napi_set_named_property(env, result, "bad", bad);
  napi_set_named_property(env, result, "W", W);
  napi_set_named_property(env, result, "T", T);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn, adx;
#ifdef __ADX__
  if (!cpu_has_adx()) {
    napi_throw_error(env, NULL, "this CPU has no ADX/BMI2: use receipt_sums.node");
    return NULL;
  }
#endif
  napi_get_boolean(env,
#ifdef __ADX__
                   1,
#else
                   0,
#endif
                   &adx);
  napi_set_named_property(env, exports, "adx", adx);
  napi_create_function(env, "receiptChunkSums", NAPI_AUTO_LENGTH, receipt_chunk_sums, NULL, &fn);
  napi_set_named_property(env, exports, "receiptChunkSums", fn);
  return exports;
}
