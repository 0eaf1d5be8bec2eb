# Tabulates the alternating catch-up pairs (mesh-<tree>-r<n>.json written by `npm run bench mesh`).
import json, glob, re
print('| run | commit | load (1 min) | catch-up, frame worker (events/s) | drain, same run (events/s) | catch-up ÷ drain | catch-up inline (events/s) | B main thread CPU (ms) | all of B CPU (ms) | B main CPU inline (ms) |')
print('|---|---|---|---|---|---|---|---|---|---|')
for f in sorted(glob.glob('mesh-*-r*.json'), key=lambda f: (int(re.search(r'-r(\d+)', f).group(1)), 'head' in f)):
    d = json.load(open(f)); r = {x['metric']: x for x in (d.get('rows') or d.get('results'))}
    c = next(x for k, x in r.items() if k.startswith('catch-up of') and 'inline' not in k)
    inl = next(x for k, x in r.items() if 'inline)' in k)
    main = r["CPU of the catch-up with the worker: B's main thread"]['value']
    allb = r["CPU of the catch-up with the worker: all of B's threads"]['value']
    imain = r["CPU of the catch-up inline: B's main thread"]['value']
    rate = float(str(c['value']).split()[0]) if isinstance(c['value'], str) else c['value']
    drain = c['baseline']['value']
    print(f"| {f[5:-5]} | {d['commit']} | {d['loadAverage1m']['start']}→{d['loadAverage1m']['end']} | {c['value']} | {drain} | {rate/drain:.2f}× | {inl['value']} | {main} | {allb} | {imain} |")
