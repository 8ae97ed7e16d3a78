# zsh_complete.zsh FPATH_DIR LINE WANT - type LINE and a Tab into an interactive zsh (on a
# pseudo-terminal, through zsh/zpty) that loaded the completion functions of FPATH_DIR, and
# wait (at most 20 s) until the terminal shows WANT. Prints what the terminal showed; exit
# status 0 when WANT appeared, 1 otherwise.
zmodload zsh/zpty
zmodload zsh/datetime
out=

# Read what the terminal shows until it holds $1 or the deadline passes.
await() {
	local deadline=$(( EPOCHREALTIME + 20 )) chunk
	while (( EPOCHREALTIME < deadline )); do
		while zpty -r -t z chunk; do out+=$chunk; done
		[[ $out == *"$1"* ]] && return 0
		sleep 0.05
	done
	return 1
}

zpty z zsh -f -i
zpty -w z "PS1='READY> '; fpath=($1 \$fpath); autoload -Uz compinit; compinit -u -D; print -n '<IN'; print 'IT>'"
await '<INIT>' || { print -r -- "$out"; zpty -d z; exit 1; }
out=
zpty -w -n z "$2"$'\t'
await "$3"
ok=$?
print -r -- "$out"
zpty -d z
exit $ok
