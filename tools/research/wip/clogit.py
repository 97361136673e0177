import pickle,sys,math,random
names,X=pickle.load(open(sys.argv[1],'rb'))
use=[names.index(n) for n in (sys.argv[2].split(',') if len(sys.argv)>2 else names)]
X=[(c,i,[[row[k] for k in use] for row in M]) for c,i,M in X]
D=len(use)
def train(data,epochs=30,lr=0.1,l2=1e-3):
    w=[0.0]*D
    for ep in range(epochs):
        random.seed(ep); idx=list(range(len(data))); random.shuffle(idx)
        for t in idx:
            c,i,M=data[t]
            s=[sum(a*b for a,b in zip(w,row)) for row in M]; m=max(s)
            e=[math.exp(x-m) for x in s]; Zs=sum(e)
            g=[0.0]*D
            for row,ei in zip(M,e):
                p=ei/Zs
                for k in range(D): g[k]+=p*row[k]
            for k in range(D): w[k]+=lr*(M[i][k]-g[k])-lr*l2*w[k]
    return w
def ev(data,w):
    h1=h5=0;rr=0
    for c,i,M in data:
        s=[sum(a*b for a,b in zip(w,row)) for row in M]; si=s[i]
        b=sum(1 for k,x in enumerate(s) if x>si or (x==si and c[k]<c[i]))
        h1+=b<1;h5+=b<5;rr+=1/(b+1) if b<10 else 0
    n=len(data);return round(h1/n,3),round(h5/n,3),round(rr/n,3)
h=len(X)//2
A,B=X[:h],X[h:]
wA=train(A); wB=train(B)
print('train A test B',ev(B,wA),' train B test A',ev(A,wB),' in-sample all',ev(X,train(X)))
print({names[u]:round(x,2) for u,x in zip(use,train(X))})
