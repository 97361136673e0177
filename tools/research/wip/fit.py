import pickle,sys,random,math
def ev(X,w):
    h1=h5=0; rr=0
    for c,who,M in X:
        s=[sum(a*b for a,b in zip(w,row)) for row in M]
        i=c.index(who); si=s[i]
        better=sum(1 for k,x in enumerate(s) if x>si or (x==si and c[k]<who))
        h1+=better<1; h5+=better<5; rr+=1/(better+1) if better<10 else 0
    n=len(X); return round(h1/n,3),round(h5/n,3),round(rr/n,3)
def coord(X,names,init,idx):
    w=list(init); best=ev(X,w)
    for it in range(3):
        for k in idx:
            for v in [0,.1,.2,.3,.5,.7,1,1.5,2]:
                w2=list(w); w2[k]=v; r=ev(X,w2)
                if r[2]>best[2]: best=r; w=w2
    return w,best
if __name__=='__main__':
    names,X=pickle.load(open(sys.argv[1],'rb'))
    idx=[int(x) for x in sys.argv[2].split(',')]
    init=[0]*len(names); init[idx[0]]=1
    w,b=coord(X,names,init,idx[1:])
    print(sys.argv[1],{names[k]:w[k] for k in idx},b)
