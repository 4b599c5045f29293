# The receipt-sums addon (receipt_sums.c) with blst's C sources as @chainsafe/blst ships them: blst's build.sh flags,
# without __ADX__ (mulx) so that one binary runs on every x86-64 (the release's is built on GitHub's runners).
{
  'variables': { 'blst': '../../node_modules/@chainsafe/blst/blst' },
  'targets': [
    {
      'target_name': 'receipt_sums',
      'sources': [ 'receipt_sums.c', '<(blst)/src/server.c' ],
      'include_dirs': [ '<(blst)/bindings' ],
      'cflags': [ '-O2', '-fno-builtin', '-Wall', '-Wextra' ],
      'conditions': [
        [ 'OS=="win"', { 'sources': [ '<(blst)/build/win64/*-x86_64.asm' ] },
                       { 'sources': [ '<(blst)/build/assembly.S' ] } ],
        [ 'target_arch=="x64" and OS!="win"', { 'cflags': [ '-mno-avx' ] } ],
        [ 'OS=="linux"', { 'ldflags': [ '-Wl,-Bsymbolic' ] } ],
      ],
    },
  ],
}
