/*
 * udp_forwarder: the floor for a userspace RTP relay, for tools/bench/relay-compare.sh.
 *
 * One thread, one epoll set. Each call gets two UDP sockets on the bind address (even ports, no
 * RTCP socket): the A-facing one (what A sends to) and the B-facing one (what B sends to). A batch
 * read with recvmmsg on one socket goes out with one sendmmsg from the other socket to the other
 * party's SDP address, in place (the receive buffers are the send buffers). No RTP parsing, no
 * latching, no stats: everything a real relay does on top of this is what the comparison measures.
 *
 * Calls are set up over a minimal rtpengine ng responder (bencode over UDP) so that the same load
 * generator drives this program, Spillway and rtpengine unchanged. Understood: ping, offer, answer,
 * delete, keyed by call-id; every other command gets an error reply. Offer/answer read the first
 * "c=IN IP4" address and the first m= port of the SDP and reply with the SDP rewritten to this
 * relay's address and port. Retransmitted requests are answered again from the call state (offer
 * and answer are idempotent per call-id). IPv4 only. Not a product: no limits beyond --max-calls,
 * no timeouts, trusted control client.
 *
 * Usage: udp_forwarder --ng 127.0.0.1:2300 [--bind 127.0.0.1] [--port-min 40000] [--port-max 49999]
 *                      [--batch 64] [--max-calls 20000]
 * Prints "ready" on stdout once the ng port is bound; SIGINT/SIGTERM print counters and exit 0.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_BATCH 256
#define SLOT_BYTES 2048
#define NG_BYTES 65536
#define SDP_BYTES 8192

struct leg {
    int fd;
    struct leg *peer;          /* the other leg of the call: packets read here leave from it */
    struct sockaddr_in dst;    /* the party this leg faces (from its SDP) */
    int has_dst;
    int port;
};

/*
 * Leg naming: a_side faces A (A sends to it), b_side faces B. A packet read on a_side is sent from
 * b_side to B's address, so b_side->dst = B and a_side->dst = A; reading on leg L sends from
 * L->peer->fd to L->peer->dst.
 */
struct call {
    char *id;
    struct leg a_side;
    struct leg b_side;
    int used;
};

static struct call *calls;
static size_t call_slots;
static int epfd;
static struct in_addr bind_addr;
static char bind_text[INET_ADDRSTRLEN];
static int port_min = 40000, port_max = 49999, next_port;
static int batch = 64;
static volatile sig_atomic_t stop;
static unsigned long long rx_packets, tx_packets, tx_short, rx_calls;

static struct mmsghdr msgs[MAX_BATCH];
static struct iovec iovs[MAX_BATCH];
static unsigned char slots[MAX_BATCH][SLOT_BYTES];

static void on_signal(int sig) { (void) sig; stop = 1; }

/* ---- call table: open addressing on an FNV-1a hash of the call-id ---- */

static uint64_t hash(const char *s, size_t n) {
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) { h ^= (unsigned char) s[i]; h *= 1099511628211ULL; }
    return h;
}

static struct call *find_call(const char *id, size_t n, int create) {
    size_t i = hash(id, n) % call_slots;
    struct call *tomb = NULL;
    for (size_t probes = 0; probes < call_slots; probes++, i = (i + 1) % call_slots) {
        struct call *c = &calls[i];
        if (c->id == NULL && !c->used) {
            break;
        }
        if (c->id == NULL) {             /* deleted slot: reuse on create, keep probing */
            if (tomb == NULL) tomb = c;
            continue;
        }
        if (strlen(c->id) == n && memcmp(c->id, id, n) == 0) return c;
    }
    if (!create) return NULL;
    struct call *c = tomb;
    if (c == NULL) {
        i = hash(id, n) % call_slots;
        for (size_t probes = 0; probes < call_slots; probes++, i = (i + 1) % call_slots) {
            if (calls[i].id == NULL) { c = &calls[i]; break; }
        }
    }
    if (c == NULL) return NULL;
    c->id = strndup(id, n);
    c->used = 1;
    c->a_side.fd = c->b_side.fd = -1;
    c->a_side.peer = &c->b_side;
    c->b_side.peer = &c->a_side;
    c->a_side.has_dst = c->b_side.has_dst = 0;
    return c;
}

/* ---- sockets ---- */

static int open_leg(struct leg *l) {
    for (int tries = 0; tries <= (port_max - port_min) / 2; tries++) {
        int port = next_port;
        next_port += 2;
        if (next_port > port_max) next_port = port_min;
        int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) return -1;
        struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t) port), .sin_addr = bind_addr };
        if (bind(fd, (struct sockaddr *) &sa, sizeof sa) == 0) {
            struct epoll_event ev = { .events = EPOLLIN, .data.ptr = l };
            if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) != 0) { close(fd); return -1; }
            l->fd = fd;
            l->port = port;
            return 0;
        }
        close(fd);
    }
    errno = EADDRINUSE;
    return -1;
}

static void close_leg(struct leg *l) {
    if (l->fd >= 0) {
        epoll_ctl(epfd, EPOLL_CTL_DEL, l->fd, NULL);
        close(l->fd);
        l->fd = -1;
    }
}

/* Forwards what is queued on l: up to 4 batches, then back to epoll so other sockets get a turn. */
static void forward(struct leg *l) {
    struct leg *out = l->peer;
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < batch; i++) {
            iovs[i].iov_base = slots[i];
            iovs[i].iov_len = SLOT_BYTES;
            msgs[i].msg_hdr.msg_iov = &iovs[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
            msgs[i].msg_hdr.msg_name = NULL;
            msgs[i].msg_hdr.msg_namelen = 0;
            msgs[i].msg_hdr.msg_control = NULL;
            msgs[i].msg_hdr.msg_controllen = 0;
            msgs[i].msg_hdr.msg_flags = 0;
        }
        int n = recvmmsg(l->fd, msgs, (unsigned) batch, MSG_DONTWAIT, NULL);
        if (n <= 0) return;
        rx_packets += (unsigned) n;
        if (out->fd < 0 || !out->has_dst) continue; /* no answer yet: drop */
        for (int i = 0; i < n; i++) {
            iovs[i].iov_len = msgs[i].msg_len;
            msgs[i].msg_hdr.msg_name = &out->dst;
            msgs[i].msg_hdr.msg_namelen = sizeof out->dst;
        }
        int sent = 0;
        while (sent < n) {
            int k = sendmmsg(out->fd, msgs + sent, (unsigned) (n - sent), MSG_DONTWAIT);
            if (k <= 0) { tx_short += (unsigned) (n - sent); break; }
            sent += k;
        }
        tx_packets += (unsigned) sent;
        if (n < batch) return;
    }
}

/* ---- bencode: just enough to read one flat dictionary of strings (lists/ints are skipped) ---- */

struct str { const char *p; size_t n; };

/* Skips one value at *pos; on success stores string values in *out (if non-NULL). */
static int skip_value(const char *d, size_t len, size_t *pos, struct str *out, int depth) {
    if (*pos >= len || depth > 16) return -1;
    char c = d[*pos];
    if (c == 'i') {
        const char *e = memchr(d + *pos, 'e', len - *pos);
        if (!e) return -1;
        *pos = (size_t) (e - d) + 1;
        return 0;
    }
    if (c == 'l' || c == 'd') {
        (*pos)++;
        while (*pos < len && d[*pos] != 'e') {
            if (skip_value(d, len, pos, NULL, depth + 1) != 0) return -1;
        }
        if (*pos >= len) return -1;
        (*pos)++;
        return 0;
    }
    size_t n = 0;
    while (*pos < len && d[*pos] >= '0' && d[*pos] <= '9') {
        n = n * 10 + (size_t) (d[*pos] - '0');
        if (n > len) return -1;
        (*pos)++;
    }
    if (*pos >= len || d[*pos] != ':' || n > len - *pos - 1) return -1;
    (*pos)++;
    if (out) { out->p = d + *pos; out->n = n; }
    *pos += n;
    return 0;
}

/* Finds the string value of key in the top-level dictionary starting at d[pos]. */
static int dict_get(const char *d, size_t len, size_t pos, const char *key, struct str *out) {
    if (pos >= len || d[pos] != 'd') return -1;
    pos++;
    size_t klen = strlen(key);
    while (pos < len && d[pos] != 'e') {
        struct str k = {0};
        if (skip_value(d, len, &pos, &k, 0) != 0 || k.p == NULL) return -1;
        struct str v = {0};
        size_t before = pos;
        if (skip_value(d, len, &pos, &v, 0) != 0) return -1;
        if (k.n == klen && memcmp(k.p, key, klen) == 0) {
            if (d[before] < '0' || d[before] > '9') return -1; /* not a string */
            *out = v;
            return 0;
        }
    }
    return -1;
}

/* ---- SDP ---- */

/* Reads the first c=IN IP4 address and the first m= port. */
static int sdp_endpoint(struct str sdp, struct sockaddr_in *to) {
    int have_addr = 0, have_port = 0;
    memset(to, 0, sizeof *to);
    to->sin_family = AF_INET;
    const char *p = sdp.p, *end = sdp.p + sdp.n;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t) (end - p));
        if (!eol) eol = end;
        size_t n = (size_t) (eol - p);
        if (n > 0 && p[n - 1] == '\r') n--;
        char line[256];
        if (n < sizeof line) {
            memcpy(line, p, n);
            line[n] = 0;
            char host[64];
            unsigned port;
            if (!have_addr && sscanf(line, "c=IN IP4 %63s", host) == 1 && inet_pton(AF_INET, host, &to->sin_addr) == 1) {
                have_addr = 1;
            } else if (!have_port && sscanf(line, "m=%*s %u", &port) == 1 && port > 0 && port < 65536) {
                to->sin_port = htons((uint16_t) port);
                have_port = 1;
            }
        }
        p = eol + 1;
    }
    return have_addr && have_port ? 0 : -1;
}

/* Copies sdp into out with every c=/o= IN IP4 address and the first m= port replaced by ours. */
static int sdp_rewrite(struct str sdp, int port, char *out, size_t cap) {
    size_t w = 0;
    int m_done = 0;
    const char *p = sdp.p, *end = sdp.p + sdp.n;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t) (end - p));
        if (!eol) eol = end;
        size_t n = (size_t) (eol - p);
        if (n > 0 && p[n - 1] == '\r') n--;
        int k;
        if (n >= 9 && memcmp(p, "c=IN IP4 ", 9) == 0) {
            k = snprintf(out + w, cap - w, "c=IN IP4 %s\r\n", bind_text);
        } else if (n >= 2 && memcmp(p, "o=", 2) == 0) {
            const char *ip4 = NULL;
            for (size_t i = 0; i + 8 <= n; i++) if (memcmp(p + i, " IN IP4 ", 8) == 0) { ip4 = p + i; break; }
            if (ip4) k = snprintf(out + w, cap - w, "%.*s IN IP4 %s\r\n", (int) (ip4 - p), p, bind_text);
            else k = snprintf(out + w, cap - w, "%.*s\r\n", (int) n, p);
        } else if (!m_done && n >= 2 && memcmp(p, "m=", 2) == 0) {
            const char *sp1 = memchr(p, ' ', n);
            const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', n - (size_t) (sp1 + 1 - p)) : NULL;
            if (!sp2) return -1;
            k = snprintf(out + w, cap - w, "%.*s %d%.*s\r\n", (int) (sp1 - p), p, port, (int) (p + n - sp2), sp2);
            m_done = 1;
        } else if (n == 0) {
            k = 0;
        } else {
            k = snprintf(out + w, cap - w, "%.*s\r\n", (int) n, p);
        }
        if (k < 0 || (size_t) k >= cap - w) return -1;
        w += (size_t) k;
        p = eol + 1;
    }
    return (int) w;
}

/* ---- ng ---- */

static int reply_error(char *out, size_t cap, const char *cookie, size_t cookie_n, const char *reason) {
    return snprintf(out, cap, "%.*s d12:error-reason%zu:%s6:result5:errore", (int) cookie_n, cookie, strlen(reason), reason);
}

static int handle_ng(const char *d, size_t len, char *out, size_t cap) {
    const char *space = memchr(d, ' ', len);
    if (!space) return -1;
    size_t cookie_n = (size_t) (space - d);
    size_t pos = cookie_n + 1;
    struct str cmd = {0}, callid = {0}, sdp = {0};
    if (dict_get(d, len, pos, "command", &cmd) != 0) return reply_error(out, cap, d, cookie_n, "no command");
    if (cmd.n == 4 && memcmp(cmd.p, "ping", 4) == 0) {
        return snprintf(out, cap, "%.*s d6:result4:ponge", (int) cookie_n, d);
    }
    if (dict_get(d, len, pos, "call-id", &callid) != 0) return reply_error(out, cap, d, cookie_n, "no call-id");
    int offer = cmd.n == 5 && memcmp(cmd.p, "offer", 5) == 0;
    int answer = cmd.n == 6 && memcmp(cmd.p, "answer", 6) == 0;
    if (cmd.n == 6 && memcmp(cmd.p, "delete", 6) == 0) {
        struct call *c = find_call(callid.p, callid.n, 0);
        if (!c) return reply_error(out, cap, d, cookie_n, "unknown call");
        close_leg(&c->a_side);
        close_leg(&c->b_side);
        free(c->id);
        c->id = NULL;       /* tombstone: used stays 1 */
        rx_calls--;
        return snprintf(out, cap, "%.*s d6:result2:oke", (int) cookie_n, d);
    }
    if (!offer && !answer) return reply_error(out, cap, d, cookie_n, "unsupported command");
    if (dict_get(d, len, pos, "sdp", &sdp) != 0) return reply_error(out, cap, d, cookie_n, "no sdp");
    struct sockaddr_in party;
    if (sdp_endpoint(sdp, &party) != 0) return reply_error(out, cap, d, cookie_n, "no c=IN IP4 / m= in sdp");
    struct call *c = find_call(callid.p, callid.n, offer);
    if (!c) return reply_error(out, cap, d, cookie_n, offer ? "call table full" : "unknown call");
    if (offer && c->a_side.fd < 0) {
        if (open_leg(&c->a_side) != 0 || open_leg(&c->b_side) != 0) {
            close_leg(&c->a_side);
            close_leg(&c->b_side);
            return reply_error(out, cap, d, cookie_n, "no free port");
        }
        rx_calls++;
    }
    /* offer: A's address; B will send to b_side. answer: B's address; A will send to a_side. */
    struct leg *party_leg = offer ? &c->a_side : &c->b_side;
    party_leg->dst = party;
    party_leg->has_dst = 1;
    int shown_port = offer ? c->b_side.port : c->a_side.port;
    static char body[SDP_BYTES];
    int n = sdp_rewrite(sdp, shown_port, body, sizeof body);
    if (n < 0) return reply_error(out, cap, d, cookie_n, "sdp too long");
    return snprintf(out, cap, "%.*s d6:result2:ok3:sdp%d:%.*se", (int) cookie_n, d, n, n, body);
}

static int parse_addr(const char *text, struct sockaddr_in *sa) {
    char host[64];
    const char *colon = strrchr(text, ':');
    if (!colon || (size_t) (colon - text) >= sizeof host) return -1;
    memcpy(host, text, (size_t) (colon - text));
    host[colon - text] = 0;
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t) atoi(colon + 1));
    return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

int main(int argc, char **argv) {
    const char *ng = "127.0.0.1:2300", *bind_host = "127.0.0.1";
    size_t max_calls = 20000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--ng")) ng = argv[i + 1];
        else if (!strcmp(argv[i], "--bind")) bind_host = argv[i + 1];
        else if (!strcmp(argv[i], "--port-min")) port_min = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--port-max")) port_max = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--batch")) batch = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--max-calls")) max_calls = (size_t) atol(argv[i + 1]);
        else { fprintf(stderr, "udp_forwarder: unknown option %s\n", argv[i]); return 2; }
    }
    if (argc % 2 == 0) { fprintf(stderr, "udp_forwarder: option without value\n"); return 2; }
    port_min &= ~1;
    if (batch < 1 || batch > MAX_BATCH || port_min < 1024 || port_max > 65535 || port_max < port_min + 3
        || max_calls < 1 || inet_pton(AF_INET, bind_host, &bind_addr) != 1) {
        fprintf(stderr, "udp_forwarder: bad --batch (1-%d), --port-min/--port-max, --max-calls or --bind\n", MAX_BATCH);
        return 2;
    }
    inet_ntop(AF_INET, &bind_addr, bind_text, sizeof bind_text);
    next_port = port_min;
    call_slots = max_calls * 2;
    calls = calloc(call_slots, sizeof *calls);
    struct sockaddr_in ng_addr;
    if (!calls || parse_addr(ng, &ng_addr) != 0) { fprintf(stderr, "udp_forwarder: bad --ng %s\n", ng); return 2; }

    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    epfd = epoll_create1(EPOLL_CLOEXEC);
    int ngfd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (epfd < 0 || ngfd < 0 || bind(ngfd, (struct sockaddr *) &ng_addr, sizeof ng_addr) != 0) {
        perror("udp_forwarder: ng socket");
        return 1;
    }
    static int ng_marker;
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &ng_marker };
    epoll_ctl(epfd, EPOLL_CTL_ADD, ngfd, &ev);
    printf("ready ng=%s ports=%d-%d batch=%d\n", ng, port_min, port_max, batch);
    fflush(stdout);

    static char ng_in[NG_BYTES], ng_out[NG_BYTES];
    struct epoll_event events[256];
    while (!stop) {
        int n = epoll_wait(epfd, events, 256, 200);
        if (n < 0 && errno != EINTR) { perror("epoll_wait"); return 1; }
        for (int i = 0; i < n; i++) {
            if (events[i].data.ptr == &ng_marker) {
                struct sockaddr_in from;
                socklen_t fl = sizeof from;
                ssize_t r;
                while ((r = recvfrom(ngfd, ng_in, sizeof ng_in - 1, 0, (struct sockaddr *) &from, &fl)) > 0) {
                    int w = handle_ng(ng_in, (size_t) r, ng_out, sizeof ng_out);
                    if (w > 0 && (size_t) w < sizeof ng_out) {
                        sendto(ngfd, ng_out, (size_t) w, 0, (struct sockaddr *) &from, fl);
                    }
                    fl = sizeof from;
                }
            } else {
                forward(events[i].data.ptr);
            }
        }
    }
    fprintf(stderr, "udp_forwarder: calls %llu rx %llu tx %llu tx-failed %llu\n", rx_calls, rx_packets, tx_packets, tx_short);
    return 0;
}
