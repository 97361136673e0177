#ifndef SMART_TICKET_CSHIMS_H
#define SMART_TICKET_CSHIMS_H

/* Thin wrappers over Linux calls that Swift's Glibc module does not import. */

int cshims_accept_cloexec(int listener);

/* Waits up to `nanoseconds` for `fd` to become readable (ppoll): 1 readable (or hung up, or in
   error), 0 timed out, -1 with errno set. */
int cshims_wait_readable(int fd, long long nanoseconds);

#endif
