"""How fastvideo's worker processes send their batches: the clips on blocks of shared memory each worker reuses (the main
process maps a block once), not in new shared memory for each batch as PyTorch sends them; the small tensors of a batch
(its labels) in the pickled batch, not in shared memory, which PyTorch's default sharing strategy, 'file_descriptor',
hands over on a connection of their own; and with that strategy, not 'file_system'. Measures, in one run, the 2-worker
loader's clips/s and the CPU time per batch of the main process and of the worker processes in each way (the loader
benchmark's material and output: 320x240 frames, 5 frames of 64 px, bs 8, float batches), then what each leaves in
/dev/shm while the main process lives on, after the workers are stopped in the middle of an epoch (as `shutdown_workers`,
or a loader dropped after an interrupted `fit`, stops them). Last, what it costs to send one tensor of 4 KiB to 4 MiB from
a worker each way (a bare PyTorch loader, no decoding): in new shared memory, by value, or on a reused block, which sets
the size up to which fastvideo sends a tensor by value (`_by_value_bytes`).

    python bench/sharing.py      # about 2 minutes on 2 CPU cores
"""
import argparse, os, random, resource, shutil, tempfile, time, warnings
from pathlib import Path
import numpy as np
import torch.multiprocessing as tmp
from fastvideo.all import *
import fastvideo.data.core as core
from loader import make_videos # (bench/loader.py)

warnings.filterwarnings('ignore')
ways = {'reused blocks (fastvideo)': ('file_descriptor', True, True), # (sharing strategy, labels by value, clips on reused blocks)
        'new shared memory per batch': ('file_descriptor', True, False),
        'same, labels shared': ('file_descriptor', False, False), # (as PyTorch sends a batch)
        'file_system, new shared memory': ('file_system', True, False)}

def material(root, n_videos):
    "The loader benchmark's UCF-like videos and their frames, extracted by fastvideo: the frame folders"
    extract_all_frames(make_videos(root/'videos', n_videos), root/'frames', n_workers=2, progress=False, verbose=False)
    return L(sorted(read_frame_counts(root/'frames')))

def children():
    "The process ids of this process's children (Linux)"
    me,res = f'/proc/{os.getpid()}/task',set()
    for t in os.listdir(me): # the children each thread started
        try: res |= {int(p) for p in Path(f'{me}/{t}/children').read_text().split()}
        except FileNotFoundError: pass # a thread that has ended meanwhile
    return res

def cpu_s(pids):
    "CPU time (user + system, s) the processes `pids` have taken"
    def one(p):
        f = Path(f'/proc/{p}/stat').read_text().rsplit(')', 1)[1].split()
        return (int(f[11])+int(f[12]))/os.sysconf('SC_CLK_TCK')
    return sum(map(one, pids))

class _Tensors(torch.utils.data.Dataset):
    "200 tensors of `nbytes` bytes, made in the worker, each sent `how`: in new shared memory ('shared'), pickled with its bytes ('value'), or copied to a reused block ('block')"
    def __init__(self, nbytes, how): self.n,self.how = nbytes,how
    def __len__(self): return 200
    def __getitem__(self, i):
        t = torch.full((self.n,), i%251, dtype=torch.uint8)
        if self.how=='value': return core._ByValue(t)
        if self.how=='block':
            b = core._stack_shared([t])
            return core._InBlock(b, core._blocks.holding(b))
        return t

def transport_costs(rounds, sizes=(1<<12, 1<<14, 1<<15, 1<<16, 1<<18, 1<<20, 1<<22)):
    "CPU time (ms) of the main process and of the 2 worker processes per tensor of each size, sent in new shared memory, by value, or on a reused block"
    res = {}
    for nb in sizes:
        for how in ('shared', 'value', 'block'):
            before = children()
            dl = torch.utils.data.DataLoader(_Tensors(nb, how), batch_size=None, num_workers=2, persistent_workers=True)
            for _ in dl: pass
            pids,got = children()-before,[]
            for _ in range(rounds):
                r0,c0 = resource.getrusage(resource.RUSAGE_SELF),cpu_s(pids)
                for _ in dl: pass
                r1,c1 = resource.getrusage(resource.RUSAGE_SELF),cpu_s(pids)
                got.append(((r1.ru_utime+r1.ru_stime-r0.ru_utime-r0.ru_stime)/len(dl)*1e3, (c1-c0)/len(dl)*1e3))
            res[nb, how] = np.median(got, 0)
            del dl
    return res

def loader(items, strategy, by_value, blocks, bs=8):
    "A 2-worker loader whose workers, started now, send batches with `strategy` (the main process keeps its own), their small tensors by value or not, and their clips on reused blocks or not; and the workers' ids"
    dl = get_action_dataloaders(items, bs=bs, image_size=64, seq_len=5, sampling='first', val_idxs=[],
                                batch_tfms=[Normalize.from_stats(*imagenet_stats)], dl_kwargs=dict(num_workers=2, shuffle=False, drop_last=False)).train
    old,before,wrap,nblocks = tmp.get_sharing_strategy(),children(),core._by_value,core._max_blocks
    tmp.set_sharing_strategy(strategy) # read by the workers, which fork with it, when they pickle a batch
    if not by_value: core._by_value = lambda b: b # (the workers fork with these)
    if not blocks: core._max_blocks = 0
    try:
        for _ in dl: pass # starts the workers (kept from one pass to the next)
    finally: tmp.set_sharing_strategy(old); core._by_value = wrap; core._max_blocks = nblocks
    return dl,children()-before

def shm(): return {f for f in os.listdir('/dev/shm') if f.startswith('torch_')}

def main(a):
    root = Path(tempfile.mkdtemp(prefix='fastvideo-sharing-'))
    try:
        folders = material(root, a.n_videos)
        items = folders*max(1, -(-512//len(folders)))
        defaults.kept_loaders = max(defaults.kept_loaders, len(ways))
        dls = {w:loader(items, *v) for w,v in ways.items()}
        res = {w:[] for w in ways}
        for _ in range(a.rounds): # in turns, in a random order each round
            for w in random.sample(list(ways), len(ways)):
                dl,pids = dls[w]
                r0,c0,t0 = resource.getrusage(resource.RUSAGE_SELF),cpu_s(pids),time.perf_counter()
                for _ in dl: pass
                t,r1,c1 = time.perf_counter()-t0,resource.getrusage(resource.RUSAGE_SELF),cpu_s(pids)
                res[w].append((len(items)/t, (r1.ru_utime+r1.ru_stime-r0.ru_utime-r0.ru_stime)/len(dl)*1e3, (c1-c0)/len(dl)*1e3))
        left = {}
        for w,(dl,_) in dls.items(): # stop the workers with batches in flight: two taken, more prefetched
            before = shm()
            it = iter(dl); next(it); next(it); time.sleep(1)
            dl.shutdown_workers(); del it; time.sleep(1)
            new = shm()-before
            left[w] = (len(new), sum(os.path.getsize(f'/dev/shm/{f}') for f in new if os.path.exists(f'/dev/shm/{f}'))/2**20)
        print(f'\n2-worker loader, {len(folders)} videos, 5 frames of 64 px, bs 8, float batches; medians of {a.rounds} epochs of {len(items)} clips taken in turns')
        print(f'{"how batches travel":<32} {"clips/s":>8} {"main CPU ms/batch":>18} {"workers CPU ms/batch":>21} {"left in /dev/shm after a stop mid-epoch":>40}')
        for w in ways:
            v,ms,wms = np.median(res[w], 0)
            print(f'{w:<32} {v:>8.1f} {ms:>18.2f} {wms:>21.2f} {f"{left[w][0]} files, {left[w][1]:.1f} MiB":>40}')
        def ratio(a_, b): return np.median([y[0]/x[0] for x,y in zip(res[a_], res[b])])
        def saved(a_, b, k): return np.median(res[a_], 0)[k]-np.median(res[b], 0)[k]
        fv,new,lab,fs = ways
        print(f'reused blocks / new shared memory per batch, clips/s (median of the rounds\' ratios): {ratio(new, fv):.2f} x')
        print(f'CPU saved per batch by the reused blocks: main {saved(new, fv, 1):.2f} ms, workers {saved(new, fv, 2):.2f} ms')
        print(f'labels by value / shared (new shared memory for the clips), clips/s: {ratio(lab, new):.2f} x')
        print(f'CPU saved per batch by sending the labels by value: main {saved(lab, new, 1):.2f} ms, workers {saved(lab, new, 2):.2f} ms')
        print(f'file_system / file_descriptor (new shared memory for the clips), clips/s: {ratio(new, fs):.2f} x; main CPU saved per batch: {saved(new, fs, 1):.2f} ms')
        costs = transport_costs(a.rounds)
        print(f'\none tensor from a worker process (2 workers, file_descriptor), CPU ms per tensor, medians of {a.rounds} epochs of 200; fastvideo sends by value up to {core._by_value_bytes>>10} KiB, larger ones on reused blocks')
        print(f'{"size":>9} {"new shared: main":>17} {"workers":>8} {"total":>6} {"by value: main":>15} {"workers":>8} {"total":>6} {"reused block: main":>19} {"workers":>8} {"total":>6}')
        for nb in sorted({k for k,_ in costs}):
            row = [f'{nb>>10:>5} KiB']
            for how,w in (('shared', 17), ('value', 15), ('block', 19)):
                m,wk = costs[nb, how]
                row.append(f'{m:>{w}.2f} {wk:>8.2f} {m+wk:>6.2f}')
            print(' '.join(row))
    finally: shutil.rmtree(root, ignore_errors=True)

if __name__=='__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--n-videos', type=int, default=16)
    p.add_argument('--rounds', type=int, default=8)
    main(p.parse_args())
