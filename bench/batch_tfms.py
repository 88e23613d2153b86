"""The batch transforms of a batch of clips on the CPU: fastvideo's (`IntToFloatTensor`, `clip_aug_transforms`, `Normalize`,
run as a `ClipDataLoader` runs them) against the same transforms written with fastai's own classes on the clips' frames
as a batch of images (B*T, C, H, W): the same crop, flip, rotation, brightness, contrast and normalisation, the same
arithmetic. Measured in one run, on a UCF101-style batch (16 clips of 16 frames of 128x171, cropped to 112 px) and on the
loader benchmark's (8 clips of 5 frames of 64 px), for a training batch and a validation one, with one PyTorch thread
(as the main process has while worker processes read); then the same again with glibc told to keep the memory it frees
(`mallopt`: no `mmap`, no trimming), which shows what fresh memory from the system costs.

fastvideo resamples each clip with one sampling grid for all its frames (stacked as channels), resizes validation clips
with `F.interpolate` (the same sampling points, no grid), and works in place on the tensors the batch transforms made;
fastai computes one grid per frame, in validation too, and makes a new tensor at each step.

Last, fastai's dispatch on the labels: `IntToFloatTensor` and `Normalize` have no method for them, and fasttransform's
`Transform._do_call` has plum look again and raise on every batch; fastvideo caches those misses. Times both on the
loader benchmark's batch, and counts the objects each leaves in reference cycles per batch (the batch among them).

    python bench/batch_tfms.py      # under a minute on 2 CPU cores (36 s in its last run)
"""
import argparse, ctypes, gc, random, resource, time, warnings
import numpy as np, torch
from fastai.vision.all import *
from fastvideo.all import *
from fastvideo.data.core import _batch_transforms # what `ClipDataLoader` runs its batch transforms in
import fastvideo.data.core as core

warnings.filterwarnings('ignore')

def fastai_tfms(size, max_lighting=0.2):
    "fastvideo's default augmentation, with fastai's classes on a batch of images: crop, flip and rotation in one resampling, brightness and contrast in one logit round trip"
    return setup_aug_tfms([AffineCoordTfm(aff_fs=[crop_mat, partial(flip_mat, p=0.5), partial(rotate_mat, max_deg=10., p=0.75)], size=size),
                           Brightness(max_lighting, p=0.75), Contrast(max_lighting, p=0.75)])

def pipelines(size):
    "fastvideo's batch transforms on clips, and fastai's on the clips' frames"
    fv = Pipeline([IntToFloatTensor(), *clip_aug_transforms(size=size), Normalize.from_stats(*imagenet_stats, cuda=False)])
    fa = Pipeline([IntToFloatTensor(), *fastai_tfms(size), Normalize.from_stats(*imagenet_stats, cuda=False)])
    return fv,fa

def batch(bs, t, h, w):
    x = torch.randint(0, 256, (bs, t, 3, h, w), dtype=torch.uint8)
    y = torch.randint(0, 101, (bs,))
    return (ImageTuple(x), TensorCategory(y)), (TensorImage(x.flatten(0, 1)), TensorCategory(y.repeat_interleave(t)))

def run_fv(p, b, split_idx):
    p.split_idx = split_idx
    with _batch_transforms(b): return p(b)

def run_fa(p, b, split_idx):
    p.split_idx = split_idx
    return p(b)

def timed(f, n):
    "Median ms per call of `f` over `n` calls, and the minor page faults per call"
    r0,ts = resource.getrusage(resource.RUSAGE_SELF).ru_minflt,[]
    for _ in range(n):
        t0 = time.perf_counter(); out = f(); ts.append(time.perf_counter()-t0)
        del out
    return float(np.median(ts))*1e3, (resource.getrusage(resource.RUSAGE_SELF).ru_minflt-r0)/n

def measure(shapes, rounds, n):
    "{(shape name, split): {'fv'|'fa': (ms, faults)}}, medians over `rounds` rounds taken in turns in a random order"
    res = {}
    for name,(bs,t,h,w,size) in shapes.items():
        (bv,bf),(pv,pf) = batch(bs, t, h, w),pipelines(size)
        out_v,out_f = run_fv(pv, bv, 0),run_fa(pf, bf, 0)
        assert out_v[0].shape==(bs, t, 3, size, size) and out_f[0].shape==(bs*t, 3, size, size)
        for split in (0, 1):
            fs = {'fv': lambda: run_fv(pv, bv, split), 'fa': lambda: run_fa(pf, bf, split)}
            for f in fs.values(): f() # warm-up
            got = {k:[] for k in fs}
            for _ in range(rounds):
                for k in random.sample(list(fs), len(fs)): got[k].append(timed(fs[k], n))
            res[name, split] = {k:(float(np.median([a for a,_ in v])), float(np.median([b for _,b in v]))) for k,v in got.items()}
    return res

def table(res, title):
    print(f'\n{title}')
    print(f'{"batch":<44} {"":<6} {"fastai on frames":>17} {"fastvideo":>12} {"fastai / fastvideo":>19}')
    for (name,split),r in res.items():
        (a,fa),(v,fv) = r['fa'],r['fv']
        print(f'{name:<44} {("train","valid")[split]:<6} {a:10.1f} ms {fa:5.0f}f {v:7.1f} ms {fv:4.0f}f {a/v:17.2f} x')

def misses(rounds, n=200):
    "ms per batch of `IntToFloatTensor` + `Normalize` on (clips, labels) with fasttransform's `_do_call` and with fastvideo's, and the objects each leaves in reference cycles per batch"
    b = batch(8, 5, 64, 64)[0]
    p = Pipeline([IntToFloatTensor(), Normalize.from_stats(*imagenet_stats, cuda=False)])
    ours,theirs = Transform._do_call,core._fa_do_call
    def use(f):
        Transform._do_call = f
        for t in p.fs: t.encodes._f._cache.clear() # (fasttransform's own would call the misses fastvideo cached)
        p(b)
    def run(f):
        use(f); ts = []
        for _ in range(n): t0 = time.perf_counter(); p(b); ts.append(time.perf_counter()-t0)
        gc.collect(); gc.disable()
        try:
            for _ in range(10): p(b)
            left = gc.collect()/10
        finally: gc.enable()
        return float(np.median(ts))*1e3,left
    res = {'theirs': [], 'ours': []}
    try:
        for _ in range(rounds):
            for k in random.sample(list(res), 2): res[k].append(run(theirs if k=='theirs' else ours))
    finally: use(ours)
    return {k:np.median(v, 0) for k,v in res.items()}

def keep_freed_memory():
    "Tell glibc to serve every allocation from its heap and never give freed memory back to the system"
    libc = ctypes.CDLL('libc.so.6')
    M_TRIM_THRESHOLD,M_MMAP_MAX = -1,-4
    return libc.mallopt(M_MMAP_MAX, 0)==1 and libc.mallopt(M_TRIM_THRESHOLD, 2**31-1)==1

def main(a):
    torch.set_num_threads(1)
    shapes = {'UCF101-style: 16 clips x 16 frames, 128x171 -> 112': (16, 16, 128, 171, 112),
              'loader benchmark: 8 clips x 5 frames, 64 px': (8, 5, 64, 64, 64)}
    print(f'ms per batch (medians of {a.rounds} rounds of {a.n} batches), minor page faults per batch (f); 1 PyTorch thread')
    res = measure(shapes, a.rounds, a.n)
    table(res, "default memory allocation")
    if keep_freed_memory():
        res2 = measure(shapes, a.rounds, a.n)
        table(res2, "glibc keeping the memory it frees (mallopt M_MMAP_MAX=0, M_TRIM_THRESHOLD=2**31-1)")
        k = next(iter(res))
        print(f'\nfastvideo, UCF101-style training batch: default / keeping freed memory {res[k]["fv"][0]/res2[k]["fv"][0]:.2f} x')
    else: print('\nmallopt is not available here (not glibc): the second table is left out')
    r = misses(a.rounds)
    (t,lt),(o,lo) = r['theirs'],r['ours']
    print(f"\nIntToFloatTensor + Normalize on (clips, labels), loader benchmark's batch: fasttransform's _do_call {t:.3f} ms, {lt:.0f} objects left in reference cycles per batch;"
          f" fastvideo's (misses cached) {o:.3f} ms, {lo:.0f}; {t/o:.2f} x")

if __name__=='__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--rounds', type=int, default=5, help='rounds of each measurement, taken in turns')
    p.add_argument('--n', type=int, default=3, help='batches per round')
    main(p.parse_args())
