/*
 * mapwait: start a program and time, from the X server's own events, how long
 * it takes until a top-level window with a given title is mapped.
 *
 *   mapwait TITLE -- PROGRAM [ARGS...]
 *
 * Prints the milliseconds from just before fork() until the window titled
 * TITLE (WM_NAME or _NET_WM_NAME, exactly) is mapped, with three decimals,
 * then the program's PID on a second line, and exits 0 leaving the program
 * running (the caller kills it). The program inherits the environment; its
 * stdout and stderr go to /dev/null. If the program exits first, or nothing
 * matches within MAPWAIT_TIMEOUT_MS (default 60000), it says so on stderr,
 * kills the program and exits 1.
 *
 * Why: bench/run.sh used to poll `xdotool search --onlyvisible` every 20 ms,
 * too coarse for start-ups of 100-180 ms, and faster polling flooded Xvfb
 * with connections. This holds one connection, selects the root window's
 * substructure events before the program starts, and so cannot miss the map.
 *
 * Build: cc -O2 -o mapwait bench/mapwait/mapwait.c -lX11
 */
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static Display *dpy;
static Atom net_wm_name;
static const char *title;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A window can be destroyed between its event and our query: ignore the
 * BadWindow errors that follow (the default handler would exit). */
static int ignore_error(Display *d, XErrorEvent *e)
{
	(void)d;
	(void)e;
	return 0;
}

/* Does property prop of w hold exactly the title? Compared as bytes: WM_NAME
 * may be Latin-1 or compound text, equal to UTF-8 for ASCII titles. */
static int name_is(Window w, Atom prop)
{
	Atom type;
	int fmt, ok;
	unsigned long n, left;
	unsigned char *v = NULL;

	ok = XGetWindowProperty(dpy, w, prop, 0, 1024, False, AnyPropertyType,
				&type, &fmt, &n, &left, &v) == Success &&
	     v && fmt == 8 && n == strlen(title) && memcmp(v, title, n) == 0;
	if (v)
		XFree(v);
	return ok;
}

/* Is w mapped (IsUnviewable too: under a reparenting window manager the
 * client can be mapped before its frame) and titled TITLE? */
static int matches(Window w)
{
	XWindowAttributes a;

	if (!XGetWindowAttributes(dpy, w, &a) || a.map_state == IsUnmapped)
		return 0;
	return name_is(w, net_wm_name) || name_is(w, XA_WM_NAME);
}

/* Report, kill the program unless it has exited (pid 0), and exit 1. */
static void fail(pid_t pid, const char *why, double ms)
{
	fprintf(stderr, "mapwait: no window titled \"%s\" mapped: %s after %.0f ms\n",
		title, why, ms);
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	exit(1);
}

int main(int argc, char **argv)
{
	const char *env = getenv("MAPWAIT_TIMEOUT_MS");
	double timeout = env && *env ? atof(env) : 60000, t0;
	pid_t pid;
	int nul, status;

	if (argc < 4 || strcmp(argv[2], "--") != 0) {
		fprintf(stderr, "usage: mapwait TITLE -- PROGRAM [ARGS...]\n");
		return 2;
	}
	title = argv[1];
	/* Xvfb resets when its last client leaves (the previous run's), and
	 * can refuse connections meanwhile: retry for up to 5 s. */
	for (int i = 0; !(dpy = XOpenDisplay(NULL)); i++) {
		if (i == 100) {
			fprintf(stderr, "mapwait: cannot open display \"%s\"\n", XDisplayName(NULL));
			return 1;
		}
		usleep(50000);
	}
	XSetErrorHandler(ignore_error);
	net_wm_name = XInternAtom(dpy, "_NET_WM_NAME", False);
	/* CreateNotify and MapNotify of every child of root, in force (XSync)
	 * before the program starts. Windows that exist already are not
	 * watched: they are not the program's. */
	XSelectInput(dpy, DefaultRootWindow(dpy), SubstructureNotifyMask);
	XSync(dpy, False);
	fcntl(ConnectionNumber(dpy), F_SETFD, FD_CLOEXEC);

	t0 = now_ms();
	pid = fork();
	if (pid < 0) {
		perror("mapwait: fork");
		return 1;
	}
	if (pid == 0) {
		nul = open("/dev/null", O_RDWR);
		dup2(nul, 1);
		dup2(nul, 2);
		execvp(argv[3], argv + 3);
		_exit(127);
	}

	for (;;) {
		while (XPending(dpy)) {
			XEvent ev;
			Window w = 0;

			XNextEvent(dpy, &ev);
			switch (ev.type) {
			case CreateNotify:
				/* Watch its title, and its own map events (a
				 * reparenting window manager takes it off root
				 * before mapping it); then look at it at once, in
				 * case it was named and mapped before this
				 * selection took effect. */
				w = ev.xcreatewindow.window;
				XSelectInput(dpy, w, PropertyChangeMask | StructureNotifyMask);
				break;
			case MapNotify:
				w = ev.xmap.window;
				break;
			case PropertyNotify:
				if (ev.xproperty.state == PropertyNewValue &&
				    (ev.xproperty.atom == XA_WM_NAME ||
				     ev.xproperty.atom == net_wm_name))
					w = ev.xproperty.window;
				break;
			}
			/* Timed once the query has confirmed both: a round
			 * trip or so (~0.1 ms) late, never early. */
			if (w && matches(w)) {
				printf("%.3f\n%ld\n", now_ms() - t0, (long)pid);
				return 0;
			}
		}
		if (waitpid(pid, &status, WNOHANG) == pid) /* 127: exec failed */
			fail(0, "the program exited first", now_ms() - t0);
		double left = t0 + timeout - now_ms();
		if (left <= 0)
			fail(pid, "timed out", now_ms() - t0);
		/* Wake on the next event, or every 100 ms to notice the
		 * program's exit and the deadline. */
		struct pollfd p = {ConnectionNumber(dpy), POLLIN, 0};
		poll(&p, 1, left < 100 ? (int)left + 1 : 100);
	}
}
