package target

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
)

// ClientFlags are the member clients as the user gave them: flag values,
// each falling back to its environment variable, then to the JSON file.
type ClientFlags struct {
	ID, Secret             string
	SecondID, SecondSecret string
	File                   string // {"client_id","client_secret","second_client_id","second_client_secret"}
}

// credentialsFile is the --credentials file.
type credentialsFile struct {
	ClientID           string `json:"client_id"`
	ClientSecret       string `json:"client_secret"`
	SecondClientID     string `json:"second_client_id"`
	SecondClientSecret string `json:"second_client_secret"`
}

// LoadCredentialsFile reads a --credentials file.
func LoadCredentialsFile(path string) (credentialsFile, error) {
	var file credentialsFile
	b, err := os.ReadFile(path)
	if err != nil {
		return credentialsFile{}, fmt.Errorf("--credentials: %w", err)
	}
	if err := json.Unmarshal(b, &file); err != nil {
		return credentialsFile{}, fmt.Errorf("--credentials %s: not JSON like {\"client_id\":…,\"client_secret\":…}: %w", path, err)
	}
	return file, nil
}

// Resolve picks the member client and, when one is given, a second client:
// flags first, then HOOKCHECK_CLIENT_ID/SECRET (and HOOKCHECK_SECOND_…),
// then the file.
func (f ClientFlags) Resolve() (Credentials, *Credentials, error) {
	var file credentialsFile
	if f.File != "" {
		var err error
		if file, err = LoadCredentialsFile(f.File); err != nil {
			return Credentials{}, nil, err
		}
	}
	pick := func(flagVal, env, fileVal string) string {
		if flagVal != "" {
			return flagVal
		}
		if v := os.Getenv(env); v != "" {
			return v
		}
		return fileVal
	}
	main := Credentials{
		ID:     pick(f.ID, "HOOKCHECK_CLIENT_ID", file.ClientID),
		Secret: pick(f.Secret, "HOOKCHECK_CLIENT_SECRET", file.ClientSecret),
	}
	if main.ID == "" || main.Secret == "" {
		return main, nil, errors.New("a URL target needs member client credentials: --client-id and --client-secret, HOOKCHECK_CLIENT_ID and HOOKCHECK_CLIENT_SECRET, or --credentials FILE")
	}
	second := Credentials{
		ID:     pick(f.SecondID, "HOOKCHECK_SECOND_CLIENT_ID", file.SecondClientID),
		Secret: pick(f.SecondSecret, "HOOKCHECK_SECOND_CLIENT_SECRET", file.SecondClientSecret),
	}
	if (second.ID == "") != (second.Secret == "") {
		return main, nil, errors.New("the second client needs both an id and a secret")
	}
	if second.ID == "" {
		return main, nil, nil
	}
	return main, &second, nil
}
