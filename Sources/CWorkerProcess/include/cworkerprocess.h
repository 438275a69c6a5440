/*
 * cworkerprocess.h — process calls a plugin worker needs that Swift cannot import (variadic, or
 * not declared for Swift): the parent-death signal and closing inherited descriptors.
 */
#ifndef CWORKERPROCESS_H
#define CWORKERPROCESS_H

#include <spawn.h>
#include <sys/prctl.h>

/* glibc 2.34+; declared here so that no feature macro changes the system headers' layouts. */
int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int lowest);

/** prctl(PR_SET_PDEATHSIG, sig): the kernel sends `sig` to this process when its parent dies. */
static inline int cwp_set_parent_death_signal(int sig) { return prctl(PR_SET_PDEATHSIG, (unsigned long)sig, 0, 0, 0); }

/** Closes every descriptor >= `lowest` in the child before exec (glibc 2.34+). */
static inline int cwp_spawn_closefrom(posix_spawn_file_actions_t *actions, int lowest) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}

#endif /* CWORKERPROCESS_H */
