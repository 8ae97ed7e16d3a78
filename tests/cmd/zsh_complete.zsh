# zsh_complete.zsh FPATH_DIR LINE - type LINE and a Tab into an interactive zsh (on a
# pseudo-terminal, through zsh/zpty) that loaded the completion functions of FPATH_DIR, and
# print everything the terminal showed. The caller looks for the completed line in it.
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PS1='> '; fpath=($1 \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w -n z "$2"$'\t'
sleep 1
out=
while zpty -r -t z chunk; do out+=$chunk; done
print -r -- "$out"
zpty -d z
