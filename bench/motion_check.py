"""Motion check: on the synthetic motion videos (classes that differ only in the order of the frames), every temporal
family must reach at least 95% validation accuracy, while the simple frame-averaging model stays within 15 points of
chance. Prints one table; exits 1 if a family misses its target.

    python bench/motion_check.py                      # all four families, a few minutes each on 2 CPU cores
    python bench/motion_check.py --families cnn3d rnn
"""
import argparse, re, sys, time, contextlib
from fastvideo.all import *
from fastvideo.train import plain_progress

# family: (learner factory, arch or None, factory kwargs, epochs, max lr, batch size)
configs = {
    'simple':      (simple_learner, resnet18, {}, 8, 3e-3, 16),
    'rnn':         (rnn_learner, resnet18, dict(hidden=128), 8, 3e-3, 16),
    'timesformer': (timesformer_learner, None, dict(dim=64, depth=2, heads=2, dim_head=32, attn_dropout=0., ff_dropout=0.,
                                                    shift_tokens=True), 20, 1e-3, 8),
    'cnn3d':       (cnn3d_learner, small3d, {}, 15, 1e-2, 16),
}

def group_of(p): return int(re.search(r'_g(\d+)_c\d+', Path(p).name).group(1))

def check(family, path, n_groups, seq_len, image_size, seed):
    factory,arch,kw,epochs,lr,bs = configs[family]
    set_seed(seed, reproducible=True)
    # hold out whole groups (backgrounds and arrow colours unseen in training)
    splitter = FuncSplitter(lambda p: group_of(p) > n_groups*3//4)
    dls = get_action_dataloaders(path, bs=bs, image_size=image_size, seq_len=seq_len, splitter=splitter)
    args = (dls,) if arch is None else (dls, arch)
    learn = factory(*args, pretrained=False, **kw) if arch is not None else factory(*args, **kw)
    start = time.time()
    with (contextlib.nullcontext() if sys.stdout.isatty() else plain_progress(learn)): learn.fit_one_cycle(epochs, lr)
    return learn.validate()[1], time.time()-start, len(dls.train_ds), len(dls.valid_ds), len(dls.vocab)

if __name__=='__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--families', nargs='+', default=list(configs), choices=list(configs))
    p.add_argument('--n-groups', type=int, default=48)
    p.add_argument('--seq-len', type=int, default=8)
    p.add_argument('--image-size', type=int, default=32)
    p.add_argument('--seed', type=int, default=0)
    a = p.parse_args()
    path = synthetic_motion(n_groups=a.n_groups, n_clips=4, seed=a.seed)
    rows, ok = [], True
    for fam in a.families:
        print(f'--- {fam}', flush=True)
        acc,secs,n_train,n_valid,n_cls = check(fam, path, a.n_groups, a.seq_len, a.image_size, a.seed)
        chance = 1/n_cls
        if fam=='simple': target,passed = f'<= {chance+0.15:.2f} (chance {chance:.2f} + 0.15)', acc <= chance+0.15
        else: target,passed = '>= 0.95', acc >= 0.95
        ok &= passed
        rows.append((fam, acc, target, 'pass' if passed else 'FAIL', secs))
    print(f'\nmotion check: {n_train} training / {n_valid} validation videos (held-out groups), {n_cls} classes, '
          f'{a.seq_len} frames of {a.image_size}px, CPU threads: {torch.get_num_threads()}')
    print(f'{"family":<12} {"valid acc":>9}  {"target":<28} {"result":<6} {"train time":>10}')
    for fam,acc,target,res,secs in rows: print(f'{fam:<12} {acc:>9.3f}  {target:<28} {res:<6} {secs:>9.0f}s')
    sys.exit(0 if ok else 1)
