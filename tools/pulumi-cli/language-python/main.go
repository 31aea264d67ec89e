// Command pulumi-language-python is this project's own Python language host for the Pulumi engine.
//
// Pulumi's own language host lives in a module (sdk/python/cmd/pulumi-language-python/v3) that has no
// release tags, and the Go module proxy reachable from this project's machines refuses every pseudo-version
// of it. The engine only needs a gRPC LanguageRuntime server, and the protocol is published in the sdk/v3
// module at the pinned release, so this host implements that protocol directly: it runs Pulumi programs and
// policy packs with a Python interpreter chosen from the project's runtime options, through the
// pulumi-language-python-exec launcher that sits beside this binary.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

// exitBail is the launcher's exit code for "the error was already reported to the engine".
const exitBail = 32

func main() {
	// The engine passes logging and tracing flags before its own address, which always comes last.
	flags := flag.NewFlagSet("pulumi-language-python", flag.ContinueOnError)
	flags.Bool("logtostderr", false, "log to stderr (accepted for compatibility)")
	flags.Bool("logflow", false, "flow logging settings to child processes (accepted for compatibility)")
	flags.Int("v", 0, "log verbosity (accepted for compatibility)")
	tracing := flags.String("tracing", "", "tracing endpoint (passed on to Python)")
	root := flags.String("root", "", "project root (unused; the engine sends ProgramInfo)")
	_ = root
	if err := flags.Parse(os.Args[1:]); err != nil {
		fatalf("bad arguments: %v", err)
	}
	engineAddress := ""
	if flags.NArg() > 0 {
		engineAddress = flags.Arg(flags.NArg() - 1)
	}

	self, err := os.Executable()
	if err != nil {
		fatalf("cannot locate own executable: %v", err)
	}
	if resolved, rerr := filepath.EvalSymlinks(self); rerr == nil {
		self = resolved
	}
	launcher := filepath.Join(filepath.Dir(self), "pulumi-language-python-exec")
	if _, err := os.Stat(launcher); err != nil {
		fatalf("missing launcher %s: the toolchain step (tools/pulumi-toolchain) writes it beside this binary", launcher)
	}

	go exitWhenOrphaned()

	host := &pythonHost{engineAddress: engineAddress, tracing: *tracing, launcher: launcher}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		fatalf("cannot serve: %v", err)
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fatalf("server stopped: %v", err)
	}
}

// exitWhenOrphaned ends the host when the engine that started it is gone (killed, say): the engine normally
// stops its plugins, but a SIGKILLed `pulumi up` cannot, and a host left listening would outlive it forever.
func exitWhenOrphaned() {
	parent := os.Getppid()
	for range time.Tick(time.Second) {
		if os.Getppid() != parent {
			os.Exit(1)
		}
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "pulumi-language-python: "+format+"\n", args...)
	os.Exit(1)
}

type pythonHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	mu            sync.Mutex
	engineAddress string
	tracing       string
	launcher      string
}

// interpreter is a Python to run with, and the environment changes that select it.
type interpreter struct {
	python string
	env    []string
}

// chooseInterpreter honours the project's runtime options: `virtualenv` (relative to the project root) first,
// then PULUMI_PYTHON_CMD, then python3 on PATH. A configured virtualenv that does not exist is an error that
// says how to create it, rather than a silent fallback to another interpreter.
func chooseInterpreter(info *pulumirpc.ProgramInfo) (interpreter, error) {
	opts := map[string]any{}
	if info != nil && info.GetOptions() != nil {
		opts = info.GetOptions().AsMap()
	}
	venv, _ := opts["virtualenv"].(string)
	if toolchain, _ := opts["toolchain"].(string); venv == "" && toolchain == "uv" {
		venv = ".venv"
	}
	if venv != "" {
		if !filepath.IsAbs(venv) && info != nil {
			venv = filepath.Join(info.GetRootDirectory(), venv)
		}
		python := filepath.Join(venv, "bin", "python")
		if _, err := os.Stat(python); err != nil {
			return interpreter{}, fmt.Errorf(
				"the virtual environment %s does not exist; create it with `python3 -m venv %s` and "+
					"install the project's requirements into it (the README's `make up` does both)", venv, venv)
		}
		env := []string{
			"VIRTUAL_ENV=" + venv,
			"PATH=" + filepath.Join(venv, "bin") + string(os.PathListSeparator) + os.Getenv("PATH"),
			"PULUMI_RUNTIME_VIRTUALENV=" + venv,
		}
		return interpreter{python: python, env: env}, nil
	}
	python := os.Getenv("PULUMI_PYTHON_CMD")
	if python == "" {
		python = "python3"
	}
	return interpreter{python: python}, nil
}

// environ builds a child environment: ours, minus PYTHONHOME (it would point a venv at the wrong stdlib),
// with the interpreter's overrides and the extra entries appended last so they win.
func environ(extra ...[]string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PYTHONHOME=") {
			env = append(env, kv)
		}
	}
	for _, e := range extra {
		env = append(env, e...)
	}
	return env
}

func (h *pythonHost) Handshake(_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.engineAddress = req.GetEngineAddress()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *pythonHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

// GetRequiredPlugins and GetRequiredPackages: the programs this host runs use dynamic providers only, served by
// the pulumi-resource-pulumi-python plugin that the toolchain installs beside the CLI, so there is nothing to
// download ahead of a run.
func (h *pythonHost) GetRequiredPlugins(context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *pythonHost) GetRequiredPackages(context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *pythonHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	interp, err := chooseInterpreter(req.GetInfo())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	program := req.GetInfo().GetEntryPoint()
	if program == "" {
		program = req.GetProgram() //nolint:staticcheck // older engines send only this field
	}
	if dir := req.GetInfo().GetProgramDirectory(); dir != "" && !filepath.IsAbs(program) {
		program = filepath.Join(dir, program)
	}

	h.mu.Lock()
	engine := h.engineAddress
	h.mu.Unlock()

	args := []string{
		"-u", h.launcher,
		"--project", req.GetProject(),
		"--stack", req.GetStack(),
		"--pwd", req.GetPwd(),
		"--monitor", req.GetMonitorAddress(),
		"--engine", engine,
		"--parallel", fmt.Sprint(req.GetParallel()),
		"--root-directory", req.GetInfo().GetRootDirectory(),
	}
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if org := req.GetOrganization(); org != "" {
		args = append(args, "--organization", org)
	}
	if h.tracing != "" {
		args = append(args, "--tracing", h.tracing)
	}
	args = append(args, program)
	args = append(args, req.GetArgs()...)

	// A stack without config sends no map; the SDK expects an object either way.
	configMap := req.GetConfig()
	if configMap == nil {
		configMap = map[string]string{}
	}
	config, err := json.Marshal(configMap)
	if err != nil {
		return nil, status.Errorf(codes.Internal, "encoding config: %v", err)
	}
	secretKeys, err := json.Marshal(append([]string{}, req.GetConfigSecretKeys()...))
	if err != nil {
		return nil, status.Errorf(codes.Internal, "encoding secret keys: %v", err)
	}

	cmd := exec.CommandContext(ctx, interp.python, args...)
	cmd.Dir = req.GetPwd()
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.Env = environ(interp.env, []string{
		"PULUMI_CONFIG=" + string(config),
		"PULUMI_CONFIG_SECRET_KEYS=" + string(secretKeys),
	})
	err = cmd.Run()
	if err == nil {
		return &pulumirpc.RunResponse{}, nil
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		if exitErr.ExitCode() == exitBail {
			return &pulumirpc.RunResponse{Bail: true}, nil
		}
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("the Python program exited with code %d", exitErr.ExitCode()),
		}, nil
	}
	return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not start %s: %v", interp.python, err)}, nil
}

// RunPlugin runs a plugin written in Python; since Pulumi 3.208 the engine runs Python policy packs this way.
func (h *pythonHost) RunPlugin(req *pulumirpc.RunPluginRequest,
	server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse],
) error {
	interp, err := chooseInterpreter(req.GetInfo())
	if err != nil {
		return status.Error(codes.FailedPrecondition, err.Error())
	}
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetProgram()
	}
	var args []string
	if req.GetKind() == "analyzer" {
		// The pulumi wheel ships the policy-pack runner as the module pulumi.policy: engine address, pack dir.
		args = append([]string{"-u", "-m", "pulumi.policy"}, req.GetArgs()...)
		args = append(args, dir)
	} else {
		args = append([]string{"-u", dir}, req.GetArgs()...)
	}
	cmd := exec.CommandContext(server.Context(), interp.python, args...)
	cmd.Dir = req.GetPwd()
	cmd.Env = environ(interp.env, req.GetEnv())
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return status.Errorf(codes.FailedPrecondition, "could not start %s: %v", interp.python, err)
	}
	var sendMu sync.Mutex
	send := func(msg *pulumirpc.RunPluginResponse) {
		sendMu.Lock()
		defer sendMu.Unlock()
		_ = server.Send(msg)
	}
	var wg sync.WaitGroup
	pump := func(r io.Reader, wrap func([]byte) *pulumirpc.RunPluginResponse) {
		defer wg.Done()
		buf := make([]byte, 32*1024)
		for {
			n, rerr := r.Read(buf)
			if n > 0 {
				send(wrap(append([]byte(nil), buf[:n]...)))
			}
			if rerr != nil {
				return
			}
		}
	}
	wg.Add(2)
	go pump(stdout, func(b []byte) *pulumirpc.RunPluginResponse {
		return &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}}
	})
	go pump(stderr, func(b []byte) *pulumirpc.RunPluginResponse {
		return &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}}
	})
	wg.Wait()
	code := int32(0)
	if err := cmd.Wait(); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return err
		}
		code = int32(exitErr.ExitCode())
		if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			code = -1
		}
	}
	send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: code}})
	return nil
}

// InstallDependencies creates the configured virtualenv and installs requirements.txt into it, streaming pip's
// output back to the engine (`pulumi install`).
func (h *pythonHost) InstallDependencies(req *pulumirpc.InstallDependenciesRequest,
	server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	info := req.GetInfo()
	opts := map[string]any{}
	if info.GetOptions() != nil {
		opts = info.GetOptions().AsMap()
	}
	venv, _ := opts["virtualenv"].(string)
	if venv == "" {
		return nil
	}
	if !filepath.IsAbs(venv) {
		venv = filepath.Join(info.GetRootDirectory(), venv)
	}
	w := &streamWriter{send: func(b []byte) error {
		return server.Send(&pulumirpc.InstallDependenciesResponse{Stdout: b})
	}}
	run := func(name string, args ...string) error {
		cmd := exec.CommandContext(server.Context(), name, args...)
		cmd.Dir = info.GetRootDirectory()
		cmd.Stdout, cmd.Stderr = w, w
		cmd.Env = environ()
		return cmd.Run()
	}
	python := filepath.Join(venv, "bin", "python")
	if _, err := os.Stat(python); err != nil {
		base := os.Getenv("PULUMI_PYTHON_CMD")
		if base == "" {
			base = "python3"
		}
		if err := run(base, "-m", "venv", venv); err != nil {
			return fmt.Errorf("creating %s: %w", venv, err)
		}
	}
	reqs := filepath.Join(info.GetRootDirectory(), "requirements.txt")
	if _, err := os.Stat(reqs); err == nil {
		if err := run(python, "-m", "pip", "install", "-r", reqs); err != nil {
			return fmt.Errorf("installing %s: %w", reqs, err)
		}
	}
	return nil
}

type streamWriter struct{ send func([]byte) error }

func (w *streamWriter) Write(p []byte) (int, error) {
	if err := w.send(append([]byte(nil), p...)); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (h *pythonHost) About(_ context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	interp, err := chooseInterpreter(req.GetInfo())
	if err != nil {
		return nil, status.Error(codes.FailedPrecondition, err.Error())
	}
	out, err := exec.Command(interp.python, "-c", "import sys; print(sys.executable); print(sys.version.split()[0])").Output()
	if err != nil {
		return nil, status.Errorf(codes.FailedPrecondition, "running %s: %v", interp.python, err)
	}
	lines := strings.SplitN(strings.TrimSpace(string(out)), "\n", 2)
	resp := &pulumirpc.AboutResponse{Executable: lines[0]}
	if len(lines) > 1 {
		resp.Version = lines[1]
	}
	return resp, nil
}

// GetProgramDependencies lists the interpreter's installed distributions (as `pulumi about` shows them).
func (h *pythonHost) GetProgramDependencies(_ context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	interp, err := chooseInterpreter(req.GetInfo())
	if err != nil {
		return nil, status.Error(codes.FailedPrecondition, err.Error())
	}
	out, err := exec.Command(interp.python, "-c",
		"import json, importlib.metadata as m; "+
			"print(json.dumps([[d.metadata['Name'], d.version] for d in m.distributions()]))").Output()
	if err != nil {
		return nil, status.Errorf(codes.FailedPrecondition, "listing packages with %s: %v", interp.python, err)
	}
	var pairs [][2]string
	if err := json.Unmarshal(out, &pairs); err != nil {
		return nil, status.Errorf(codes.Internal, "parsing package list: %v", err)
	}
	resp := &pulumirpc.GetProgramDependenciesResponse{}
	for _, p := range pairs {
		resp.Dependencies = append(resp.Dependencies, &pulumirpc.DependencyInfo{Name: p[0], Version: p[1]})
	}
	return resp, nil
}

func (h *pythonHost) RuntimeOptionsPrompts(context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

func (h *pythonHost) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}
