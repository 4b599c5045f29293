# The receipt-sums addon (receipt_sums.c) with blst's C sources as @chainsafe/blst ships them, blst's build.sh flags.
# receipt_sums.node runs on every CPU of its platform; on x86-64 (Linux, macOS) receipt_sums_adx.node is blst's
# faster mulx/adcx build, which loads only on a CPU that has them (the loader falls back to the first).
{
  'variables': { 'blst': '../../node_modules/@chainsafe/blst/blst' },
  'target_defaults': {
    'sources': [ 'receipt_sums.c', '<(blst)/src/server.c' ],
    'include_dirs': [ '<(blst)/bindings' ],
    'cflags': [ '-O2', '-fno-builtin', '-Wall', '-Wextra' ],
    'conditions': [
      [ 'OS=="win"', { 'sources': [ '<(blst)/build/win64/*-x86_64.asm' ] }, { 'sources': [ '<(blst)/build/assembly.S' ] } ],
      [ 'target_arch=="x64" and OS!="win"', { 'cflags': [ '-mno-avx' ] } ],
      [ 'OS=="linux"', { 'ldflags': [ '-Wl,-Bsymbolic' ] } ],
    ],
  },
  'targets': [ { 'target_name': 'receipt_sums' } ],
  'conditions': [
    [ 'target_arch=="x64" and OS!="win"', { 'targets': [ { 'target_name': 'receipt_sums_adx', 'defines': [ '__ADX__' ] } ] } ],
  ],
}
