-- wrk prints p50/p90/p99; the benchmark reports p50 and p95 (in microseconds here).
done = function(summary, latency, requests)
  io.write(string.format("p50=%d p95=%d\n", latency:percentile(50), latency:percentile(95)))
end
