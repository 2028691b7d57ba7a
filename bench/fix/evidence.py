#!/usr/bin/env python3
"""Do Hotpath's safe fixes keep behaviour? Each package's own test suite, before and after
`hotpath check --fix` (issue 13, trust; bench/fix.md has the figures).

For each `name==version` given: the sdist (`pip download --no-binary :all: --no-deps`) is unpacked
twice under ~/.cache/hotpath/fix-material/trees/ (outside any git checkout); one copy is fixed with
`hotpath check --fix .`; the package's dependencies (and its test/tests/testing extra, if any) are
installed into the venv ~/.cache/hotpath/fix-venv and the package itself uninstalled, so that the
tests import the unpacked tree; then pytest runs in both copies under coverage, and the per-test
outcomes (JUnit XML) are compared. Lines the fixes changed are checked against the lines the
after-run executed.

    python3 bench/fix/evidence.py more-itertools==10.8.0 toolz==1.0.0 ...   # writes results.json
"""
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

HOME = Path.home() / '.cache' / 'hotpath'
MATERIAL = HOME / 'fix-material'
VENV = HOME / 'fix-venv'
PY = VENV / 'bin' / 'python'
BIN = Path(__file__).resolve().parents[2] / 'bin' / 'hotpath.js'
NICE = ['nice', '-n', '10']


def sh(cmd, cwd=None, env=None, timeout=900):
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def sdist(spec):
    d = MATERIAL / 'sdists'
    d.mkdir(parents=True, exist_ok=True)
    name, version = spec.split('==')
    norm = re.sub(r'[-_.]+', '[-_.]', name)
    found = [p for p in d.iterdir() if re.match(rf'(?i){norm}-{re.escape(version)}\.(tar\.gz|zip)$', p.name)]
    if not found:
        r = sh([str(PY), '-m', 'pip', 'download', '-q', '--no-binary', ':all:', '--no-deps', '-d', str(d), spec])
        if r.returncode:
            raise RuntimeError(r.stderr[-500:])
        found = [p for p in d.iterdir() if re.match(rf'(?i){norm}-{re.escape(version)}\.(tar\.gz|zip)$', p.name)]
    return found[0]


def unpack(archive, dest):
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    if archive.name.endswith('.zip'):
        zipfile.ZipFile(archive).extractall(dest)
    else:
        with tarfile.open(archive) as t:
            t.extractall(dest, filter='data')
    (top,) = list(dest.iterdir())
    return top


def pytest(tree, label, paths=()):
    junit = tree.parent / f'{label}.xml'
    env = dict(os.environ, PYTHONPATH=str(tree / 'src') if (tree / 'src').is_dir() else str(tree), PYTHONHASHSEED='0', PYTHONDONTWRITEBYTECODE='1')
    # Only the after-run under coverage (it doubles the time): which changed lines the tests executed.
    cov = ['-m', 'coverage', 'run', f'--data-file={tree.parent / (label + ".coverage")}', '--source', str(tree)] if label == 'after' else []
    # pytest-cov (a project's `--cov` addopts) would take the tracer over: off, as is its addopts then.
    base = NICE + [str(PY), *cov, '-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-p', 'no:cov', '--continue-on-collection-errors', '-o', 'asyncio_default_fixture_loop_scope=function', f'--junitxml={junit}', *paths]
    r = sh(base, cwd=tree, env=env)
    if r.returncode in (3, 4) or (r.returncode == 2 and not junit.exists()):  # the project's addopts need a plugin we lack
        r = sh(base + ['-o', 'addopts='], cwd=tree, env=env)
    if cov:
        sh([str(PY), '-m', 'coverage', 'json', f'--data-file={tree.parent / (label + ".coverage")}', '-o', str(tree.parent / f'{label}.cov.json'), '--ignore-errors'], cwd=tree)
    outcomes = {}
    if junit.exists():
        for case in ET.parse(junit).getroot().iter('testcase'):
            key = f"{case.get('classname')}::{case.get('name')}"
            kind = 'passed'
            for child in case:
                if child.tag in ('failure', 'error', 'skipped'):
                    kind = child.tag
            outcomes[key] = kind
    tail = [l for l in r.stdout.strip().splitlines() if l.strip()][-1:] or ['']
    return {'rc': r.returncode, 'summary': tail[0], 'outcomes': outcomes}


def changed_lines(before, after):
    """{relative path: [new-side line numbers changed]} for .py files that differ."""
    out = {}
    for path in after.rglob('*.py'):
        rel = path.relative_to(after)
        old = before / rel
        a = old.read_text('latin-1').splitlines() if old.exists() else []
        b = path.read_text('latin-1').splitlines()
        if a == b:
            continue
        lines = []
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if tag in ('replace', 'insert'):
                lines += range(j1 + 1, j2 + 1)
        out[str(rel)] = lines
    return out


def executed(cov_json, tree):
    if not cov_json.exists():
        return {}
    data = json.loads(cov_json.read_text())
    out = {}
    for f, v in data.get('files', {}).items():
        p = Path(f)
        rel = p.relative_to(tree) if p.is_absolute() else p
        out[str(rel)] = set(v.get('executed_lines', []))
    return out


def run(arg):
    # `NAME==VERSION` runs the whole suite; `NAME==VERSION:PATH,PATH` only those test files (a suite
    # too slow for a shared 2-core machine: the test files of the fixed modules).
    spec, _, only = arg.partition(':')
    paths = [p for p in only.split(',') if p]
    name = spec.split('==')[0]
    archive = sdist(spec)
    work = MATERIAL / 'trees' / spec.replace('==', '-')
    before = unpack(archive, work / 'before')
    after = unpack(archive, work / 'after')
    fix = sh(NICE + ['node', str(BIN), 'check', '--fix', '--no-cache', '--no-progress', '--jobs', '1', '.'], cwd=after)
    m = re.search(r'^Fixed (\d+) findings? in (\d+) files? \(([^)]*)\)', fix.stdout, re.M)
    by_rule = dict((c, int(n)) for c, n in (x.split() for x in m.group(3).split(', '))) if m else {}
    refusals = [l for l in fix.stderr.splitlines() if 'not fixed' in l]
    if not m:
        return {'package': spec, 'fixed': 0, 'byRule': {}, 'refusals': refusals}
    extras = ','.join(x for x in ('test', 'tests', 'testing'))
    sh([str(PY), '-m', 'pip', 'install', '-q', f'{archive}[{extras}]'])
    sh([str(PY), '-m', 'pip', 'uninstall', '-y', '-q', name])
    b = pytest(before, 'before', paths)
    a = pytest(after, 'after', paths)
    changes = changed_lines(before, after)
    ran = executed(after.parent / 'after.cov.json', after)
    covered = {f: [l for l in ls if l in ran.get(f, set())] for f, ls in changes.items()}
    differ = sorted(k for k in set(b['outcomes']) | set(a['outcomes']) if b['outcomes'].get(k) != a['outcomes'].get(k))
    count = lambda o, k: sum(1 for v in o['outcomes'].values() if v == k)
    return {
        'package': spec,
        'tests': paths or 'all',
        'fixed': int(m.group(1)),
        'files': int(m.group(2)),
        'byRule': by_rule,
        'refusals': refusals,
        'changedFiles': sorted(changes),
        'changedLines': sum(len(v) for v in changes.values()),
        'changedLinesExecuted': sum(len(v) for v in covered.values()),
        'before': {'rc': b['rc'], 'summary': b['summary'], **{k: count(b, k) for k in ('passed', 'failure', 'error', 'skipped')}},
        'after': {'rc': a['rc'], 'summary': a['summary'], **{k: count(a, k) for k in ('passed', 'failure', 'error', 'skipped')}},
        'outcomesThatDiffer': differ,
    }


def recount(results):
    """Changed lines executed, again from the trees and coverage data already there."""
    for spec, r in results.items():
        work = MATERIAL / 'trees' / spec.replace('==', '-')
        if not r.get('changedFiles') or not (work / 'after').is_dir():
            continue
        (before,) = [p for p in (work / 'before').iterdir() if p.is_dir()]
        (after,) = [p for p in (work / 'after').iterdir() if p.is_dir()]
        changes = changed_lines(before, after)
        ran = executed(work / 'after' / 'after.cov.json', after)
        r['changedLinesExecuted'] = sum(len([l for l in ls if l in ran.get(f, set())]) for f, ls in changes.items())


if __name__ == '__main__':
    out = MATERIAL / 'results.json'
    results = json.loads(out.read_text()) if out.exists() else {}
    if sys.argv[1:] == ['--recount']:
        recount(results)
        out.write_text(json.dumps(results, indent=1))
        sys.exit(0)
    for spec in sys.argv[1:]:
        try:
            results[spec.partition(':')[0]] = run(spec)
        except Exception as e:  # a package that cannot be fetched or unpacked: said, not fatal
            results[spec.partition(':')[0]] = {'package': spec, 'error': str(e)[-500:]}
        out.write_text(json.dumps(results, indent=1))
        r = results[spec.partition(':')[0]]
        print(spec, {k: r.get(k) for k in ('fixed', 'byRule', 'changedLines', 'changedLinesExecuted', 'before', 'after', 'outcomesThatDiffer', 'error')}, flush=True)
