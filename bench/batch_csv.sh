# A generated legal-aid spreadsheet for the batch benchmarks (bench/batch.sh,
# bench/org_scale.sh):  source bench/batch_csv.sh; make_csv N [REF_PREFIX] > rows.csv
# REF_PREFIX ("LA-" unless given) starts every client_ref, so that runs into one database
# can each make new clients.
# N rows, one per client x custodian: nine jurisdictions, names in several scripts, a third
# already sent (their due dates are computed), a quarter limited to dates, a tenth sent to
# a third party; about 1,400 custodians, so many letters share a custodian.
make_csv() {
  awk -v n="$1" -v ref="${2:-LA-}" 'BEGIN {
    print "client_ref,client_name,date_of_birth,client_address,client_city,client_region," \
          "client_postal_code,jurisdiction,custodian_name,custodian_attention,custodian_address," \
          "custodian_city,custodian_region,custodian_postal_code,custodian_email,scope," \
          "records_from,records_to,include_billing,include_psychotherapy_notes,format,send_to," \
          "third_party_name,third_party_address,sent_on,via"
    split("Zoë Müller|Nguyễn Thị Minh|Sam Lee|María José Núñez|Aoife Ní Bhriain|James Carter|" \
          "Olusegun Adeyemi|Søren Kierkegaard", names, "|")
    split("us-ca|us-tx|us-ny|us-fl|us-il|us-wa|us-ma|us-pa|us-oh", js, "|")
    for (i = 1; i <= n; i++) {
      c = int(i / 7)
      sent = (i % 3 == 0) ? sprintf("2026-11-%02d", (i % 20) + 1) : ""
      dates = (i % 4 == 0)
      tp = (i % 10 == 0)
      printf "%s%05d,%s %d,1985-0%d-1%d,%d Elm St,Springfield,XX,%05d,%s,Practice %d Counseling," \
             "Records,%d Main St,Springfield,XX,%05d,records%d@example.org,%s,%s,%s,%s,%s,%s,%s," \
             "%s,%s,%s,%s\n",
        ref, i, names[(i % 8) + 1], i, (i % 9) + 1, i % 10, i, 10000 + i, js[(i % 9) + 1], c, c,
        20000 + (c % 500), c, dates ? "dates" : "", dates ? "2023-01-01" : "",
        dates ? "2024-06-30" : "", (i % 2) ? "yes" : "no", (i % 5) ? "no" : "yes",
        (i % 2) ? "electronic" : "paper", tp ? "third_party" : "", tp ? "Legal Aid Office" : "",
        tp ? "\"100 Court St, Suite 4, Springfield\"" : "", sent, sent == "" ? "" : "mail"
    }
  }'
}
