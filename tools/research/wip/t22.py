import pickle,collections
names,X=pickle.load(open('zk_bs.pkl.ltr','rb'))
d={'knn90':0.35,'pbm365':0.65,'comp365':0.3,'erec5':0.35,'last30':0.35}
w=[d.get(n,0) for n in names]
B=collections.Counter(); show=0
for c,i,M in X:
    s=[sum(a*b for a,b in zip(w,row)) for row in M]
    order=sorted(range(len(c)),key=lambda k:(-s[k],c[k])); pos=order.index(i)
    b='1' if pos==0 else '2-5' if pos<5 else '6-10' if pos<10 else '11-20' if pos<20 else '>20'
    B[b]+=1
    if pos>=5 and show<12:
        show+=1
        print(pos, c[i][:14].ljust(14), ' '.join(f"{n}={M[i][names.index(n)]:.2f}" for n in ['knn90','pbm365','comp365','erec5','last30','tot365','last7']))
print(sorted(B.items()))
