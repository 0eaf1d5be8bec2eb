#!/usr/bin/env python3
"""python3 writes.py <count-writes-*.txt>…: from count-writes.ts's logs, per received event, the
incident row writes (INSERT/UPDATE incidents), the escalation row writes, and the escalation
runner's transactions and reads (BEGIN IMMEDIATE beyond one per batch, open-escalation reads,
triage reads) in the appends; and the search index's statements in the catch-up after."""
import re, sys
for f in sys.argv[1:]:
    text = open(f).read()
    head = text.split('\n')[0]
    batches = int(re.search(r'(\d+) batches', head).group(1))
    appends, after = text.split("in the deferred views' catch-up after")
    n = int(re.search(r'appends \(with the escalation runner after each commit\): (\d+) events', appends).group(1))
    def total(part, rx):
        return sum(int(m.group(1)) for m in re.finditer(r'^\s*(\d+)\s+[\d.]+ per event\s+' + rx, part, re.M))
    inc = total(appends, r'run (?:INSERT INTO|UPDATE) incidents ')
    esc = total(appends, r'run INSERT INTO escalations ')
    begins = total(appends, r'run BEGIN IMMEDIATE')
    openreads = total(appends, r"all SELECT doc FROM escalations WHERE incident_id = \? AND status != 'resolved'")
    triage = total(appends, r'all SELECT id, status, category, severity')
    fts = total(after, r'run INSERT INTO incidents_fts')
    print(f"{f}: {n} events in {batches} batches; incident row writes {inc} ({inc/n:.3f} per event), "
          f"escalation row writes {esc} ({esc/n:.3f}); runner transactions {begins - batches}, "
          f"open-escalation reads {openreads}, triage reads {triage}; search index INSERTs after {fts} (25 streams each at most)")
