#!/usr/bin/env python3
"""Where the samples of a JFR recording fall, by step of Ved's hot path (inclusive: a sample counts for every
step on its stack). Usage: jfr-breakdown.py RECORDING.jfr [THREAD-SUBSTRING]
THREAD-SUBSTRING defaults to JMH's worker thread; for a recording of `ved bench` give the variant's application
id prefix, e.g. 'bench-c-' (the clients' network threads are left out unless the substring names them).
Needs `jfr` (the JDK's) on the PATH."""
import json, subprocess, sys
from collections import Counter

# (label, markers: any on the stack counts, within: all of these must be on the stack too)
STEPS = [
    ("whole process() call", ["ProcessorBench.process", "DomainProcessor.process", "BareCountProcessor.process"]),
    ("decode record (InboxDecoder)", ["InboxDecoder.decode"]),
    ("  envelope headers read", ["EnvelopeHeaders.readOnEntry"]),
    ("  id derived from position (MD5 UUID)", ["MessageId.derivedFrom"]),
    ("  Avro decode of the message", ["MessageCodec.decode"]),
    ("trail read + extend (loop detection)", ["DomainProcessor.trailOf"]),
    ("storm check", ["StormGuard.check"]),
    ("mailbox gate (runtime store get)", ["Mailboxes.isWaiting"]),
    ("span start/end (OpenTelemetry, off)", ["MessageSpans.start", "MessageSpans.end"]),
    ("handler runner (time limit)", ["WatchedRunner.run", "SeparateThreadRunner.run", "UnlimitedRunner.run"]),
    ("handle(): load state, handler, encode state", ["DomainProcessor.handle"]),
    ("  state store get + decode", ["DomainProcessor.loadState"]),
    ("  state encode", ["MessageCodec.encode", "DomainProcessor.handle"]),
    ("apply(): state store put + sends", ["DomainProcessor.apply"]),
    ("trace record (build, encode, forward)", ["Tracer.handled"]),
    ("  trace Avro encode", ["MessageCodec.encode", "Tracer.handled"]),
    ("meters", ["Counter.increment", "CumulativeCounter", "NoopCounter"]),
    ("RocksDB get (all)", ["org.rocksdb.RocksDB.get"]),
    ("RocksDB put (all)", ["org.rocksdb.RocksDB.put"]),
    ("Avro encode (all)", ["SpecificDatumWriter.write", "GenericDatumWriter.write"]),
    ("Avro decode (all)", ["GenericDatumReader.read"]),
    ("Kafka producer send (forwards, changelogs, traces)", ["KafkaProducer.send"]),
    ("Kafka consumer poll", ["KafkaConsumer.poll", "AsyncKafkaConsumer.poll", "ClassicKafkaConsumer.poll"]),
    ("commit", ["TaskManager.commit", "StreamThread.maybeCommit"]),
    ("bench harness forward capture", ["MockProcessorContext.forward", "MockProcessorContext.resetForwards"]),
]

def main():
    path = sys.argv[1]
    thread = sys.argv[2] if len(sys.argv) > 2 else "jmh-worker"
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events",
                          "jdk.ExecutionSample,jdk.NativeMethodSample", path],
                         capture_output=True, text=True, check=True).stdout
    events = json.loads(out)["recording"]["events"]
    total = 0
    hits = Counter()
    threads = Counter()
    for e in events:
        v = e["values"]
        name = (v.get("sampledThread") or {}).get("javaName") or ""
        threads[name] += 1
        if thread not in name or ("network-thread" in name and "network-thread" not in thread):
            continue
        frames = [f"{f['method']['type']['name'].replace('/', '.')}.{f['method']['name']}" for f in v["stackTrace"]["frames"]]
        total += 1
        for label, markers in STEPS:
            if label.startswith("  ") and len(markers) > 1 and label.strip() in ("state encode", "trace Avro encode"):
                # the first marker inside the second
                if any(markers[0] in fr for fr in frames) and any(markers[1] in fr for fr in frames):
                    hits[label] += 1
            elif any(any(m in fr for fr in frames) for m in markers):
                hits[label] += 1
    print(f"{path}: {total} samples on threads matching '{thread}'")
    for label, _ in STEPS:
        if hits[label]:
            print(f"  {label:48s} {hits[label]:6d}  {100.0 * hits[label] / max(total, 1):5.1f}%")
    print("  samples by thread:", ", ".join(f"{k or '?'}={n}" for k, n in threads.most_common(6)))

main()
