package redact

// known.go: the values a Redactor was already given, so that adding them
// again (every test of a saved connection adds its secrets) costs one map
// lookup under a read lock instead of working out every form again. Adding
// a value twice changes nothing: its forms and pieces are already there.

type known struct {
	values map[string]struct{}
	pairs  map[[2]string]struct{}
}

// add notes v; r.mu is held for writing.
func (k *known) add(v string) {
	if k.values == nil {
		k.values = map[string]struct{}{}
	}
	k.values[v] = struct{}{}
}

// knowsAll reports whether every one of values was added before.
func (r *Redactor) knowsAll(values []string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, v := range values {
		if _, ok := r.known.values[v]; !ok {
			return false
		}
	}
	return true
}

// knowsPair reports whether AddPair(user, secret) was called before.
func (r *Redactor) knowsPair(user, secret string) bool {
	if r == nil {
		return true
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	_, ok := r.known.pairs[[2]string{user, secret}]
	return ok
}

func (r *Redactor) notePair(user, secret string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.known.pairs == nil {
		r.known.pairs = map[[2]string]struct{}{}
	}
	r.known.pairs[[2]string{user, secret}] = struct{}{}
}
