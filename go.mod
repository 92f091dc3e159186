module github.com/hookcheck/hookcheck

go 1.26
