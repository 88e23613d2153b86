"""Why `extract_archive` unpacks a compressed RAR archive with one run of `unar`: `rarfile` starts its tool once per
compressed entry (the command line it uses is `rarfile.tool_setup().open_cmdline`), and each start reads the archive's
headers again. Measures both, in one run, on an archive of N synthetic files written by fastvideo's RAR writer.

    python bench/unrar.py                  # about 30 seconds
    python bench/unrar.py --n 1000 --size 100000
"""
import argparse, os, shutil, subprocess, tempfile, time
from pathlib import Path
import rarfile
import fastvideo.data.external as ext
from fastvideo.test_rar import write_rar5

def main(a):
    root = Path(tempfile.mkdtemp(prefix='fastvideo-unrar-'))
    try:
        rng = __import__('numpy').random.default_rng(0)
        ents = {f'UCF-101/C{i%10:02d}/v_{i:05d}.avi': rng.integers(0, 256, a.size, dtype='uint8').tobytes() for i in range(a.n)}
        fn = write_rar5(root/'test.rar', ents)
        setup = rarfile.tool_setup()
        names = list(ents)[:a.sample]
        start = time.perf_counter()
        for name in names: # what rarfile runs for each compressed entry
            out = subprocess.run(setup.open_cmdline(None, str(fn), name), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True).stdout
            assert out==ents[name]
        per_entry = (time.perf_counter()-start)/len(names)
        orig,ext._needs_tool = ext._needs_tool,(lambda info: True) # as if every entry were compressed
        try:
            start = time.perf_counter()
            ext.extract_archive(fn, root/'out', show_progress=False)
            whole = (time.perf_counter()-start)/a.n
        finally: ext._needs_tool = orig
        assert (root/'out'/names[0]).read_bytes()==ents[names[0]]
        tool = setup.get_cmdline('open_cmd', None)[0]
        print(f'{a.n} entries of {a.size:,} bytes; rarfile tool: {tool}')
        print(f'  one tool run per entry (rarfile, {len(names)} entries timed): {per_entry*1000:8.2f} ms per entry')
        print(f'  one unar run for the archive (extract_archive):             {whole*1000:8.2f} ms per entry')
        print(f'  ratio:                                                      {per_entry/whole:8.1f} x')
    finally: shutil.rmtree(root, ignore_errors=True)

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--n', type=int, default=300, help='entries in the archive')
    p.add_argument('--size', type=int, default=200_000, help='bytes per entry')
    p.add_argument('--sample', type=int, default=60, help='entries timed one by one')
    main(p.parse_args())
