#!/usr/bin/env bash
# Builds the libFuzzer targets (release, -sanitize=fuzzer,address) and runs each for a bounded
# time, seeded with the project's fixtures and, when present, the shared corpus (scanner), the system trust store and the corpus
# (certificates), key sequences (editor), and hostile names and values (scanner, SafeText). Usage: Tests/Fuzz/run.sh [SECONDS] [TARGET...]
# Exits non-zero on any crash; crash files land in fuzz-out/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-60}"
shift || true
targets=("${@:-FuzzScanner FuzzCertificates FuzzEditor FuzzSafeText}")
targets=(${targets[@]})
corpus="../shared/corpus"
export SWIFT_BACKTRACE=enable=no
# Swift's one-time global initialisers look like leaks to LeakSanitizer: address errors only.
export ASAN_OPTIONS=detect_leaks=0

# Coverage is asked for explicitly: the driver does not always pass -sanitize=fuzzer's coverage on
# to every module, and a fuzzer without it only mutates at random ("Is the code instrumented?").
coverage=(-Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp)
for target in "${targets[@]}"; do
  SLCFG_FUZZ=1 swift build -c release --scratch-path .build-fuzz --sanitize=fuzzer --sanitize=address \
    "${coverage[@]}" --product "$target" 2>&1 | tail -1
done

status=0
for target in "${targets[@]}"; do
  work="fuzz-out/$target"
  mkdir -p "$work/corpus" "$work/seeds"
  case "$target" in
    FuzzScanner) cp Tests/Fixtures/cfg/* Tests/Fuzz/seeds/hostile.cfg "$work/seeds/"
      cp "$corpus"/*.cfg "$corpus"/*.xml "$corpus"/*.tpl "$work/seeds/" 2>/dev/null || true ;;
    FuzzCertificates)
      for f in $(ls /etc/ssl/certs/*.pem 2>/dev/null | head -40); do cp -L "$f" "$work/seeds/"; done
      cp Tests/Fixtures/cfg/spectralink-wireless.cfg Tests/Fixtures/source/example-root.pem Tests/Fuzz/seeds/chain.p7b \
        "$work/seeds/"
      cp "$corpus"/greiginsydney__000000000000.cfg__wifi.cfg "$work/seeds/" 2>/dev/null || true ;;
    FuzzSafeText) cp Tests/Fuzz/seeds/hostile.cfg "$work/seeds/" ;;
    FuzzEditor) printf '\t\t \ts\x0ay' > "$work/seeds/tab-save"; printf '\xf0\x1e\x08\xf0\x50\x18q' > "$work/seeds/resize" ;;
  esac
  log="$work/last-run.log"
  rm -f "$work"/crash-* "$work"/leak-*
  if ! ".build-fuzz/release/$target" -max_total_time="$seconds" -max_len=16384 -print_final_stats=1 \
        -artifact_prefix="$work/" "$work/corpus" "$work/seeds" > "$log" 2>&1; then
    echo "$target: FAILED (see $log)"; tail -30 "$log"; status=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo 0)
  if grep -q 'Is the code instrumented for coverage' "$log"; then
    echo "$target: not instrumented for coverage (see $log)"; status=1
  fi
  if [ $status -eq 0 ]; then echo "$target: $runs executions in ${seconds}s without a failure"; fi
done
exit $status
