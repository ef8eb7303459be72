#!/bin/bash
# Summarizes a JFR recording: execution samples by thread, top self frames, and inclusive peerlink/reactor frames.
#   benchmarks/jfr-top.sh recording.jfr [N]
# Record with e.g. --target-jvm "-XX:StartFlightRecording=filename=/tmp/target.jfr,settings=profile" or jcmd <pid> JFR.start.
f=$1; n=${2:-25}
jfr print --events jdk.ExecutionSample "$f" > ${TMPDIR:-/tmp}/jfr-top-$$.txt
python3 - "$n" "${TMPDIR:-/tmp}/jfr-top-$$.txt" <<'PY'
import re,sys,collections
n=int(sys.argv[1])
txt=open(sys.argv[2]).read()
evs=txt.split('jdk.ExecutionSample')
top=collections.Counter(); thr=collections.Counter(); incl=collections.Counter()
for e in evs:
    m=re.search(r'sampledThread = "([^"]*)"',e)
    frames=re.findall(r'^\s+([\w.$<>]+\([^)]*\))\s+line:',e,re.M)
    if not frames: continue
    top[frames[0]]+=1
    if m: thr[re.sub(r'\d+','#',m.group(1))]+=1
    for fr in set(frames): incl[fr]+=1
tot=sum(top.values())
print("samples",tot)
print("-- threads"); [print(f"{c:6d} {t}") for t,c in thr.most_common(8)]
print("-- top frames (self)"); [print(f"{c*100/tot:5.1f}% {t}") for t,c in top.most_common(n)]
print("-- inclusive (peerlink/reactor)"); [print(f"{c*100/tot:5.1f}% {t}") for t,c in incl.most_common(400) if ('peerlink' in t or 'reactor' in t)]
PY
rm -f "${TMPDIR:-/tmp}/jfr-top-$$.txt"
