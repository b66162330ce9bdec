"""SIECLE "Élèves sans adresses" and STS-web "sts_emp" XML exports, read as a stream."""
