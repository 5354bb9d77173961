/* cli/output.c */
