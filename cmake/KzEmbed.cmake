# kz_embed_text(OUT_CPP HEADER NAMESPACE NAME=PATH...): generates OUT_CPP defining
# `const char* NAME()` for each file, returning its text (shipped defaults compiled in).
function(kz_embed_text out header namespace)
  set(files "")
  set(deps "")
  foreach(pair ${ARGN})
    string(REPLACE "=" ";" kv "${pair}")
    list(GET kv 1 path)
    list(APPEND deps "${path}")
    if(files)
      string(APPEND files "\\;")
    endif()
    string(APPEND files "${pair}")
  endforeach()
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DHEADER=${header} -DNAMESPACE=${namespace} "-DFILES=${files}"
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_text.cmake
    DEPENDS ${deps} ${PROJECT_SOURCE_DIR}/cmake/embed_text.cmake)
endfunction()

# kz_embed_table(OUT_CPP HEADER NAMESPACE TABLE DIR): generates OUT_CPP defining `TABLE()`, the
# (stem, text) of every DIR/*.txt. Re-run when a file there changes or one is added.
function(kz_embed_table out header namespace table dir)
  file(GLOB deps CONFIGURE_DEPENDS ${dir}/*.txt)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DHEADER=${header} -DNAMESPACE=${namespace} -DTABLE=${table} -DDIR=${dir}
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_table.cmake
    DEPENDS ${deps} ${PROJECT_SOURCE_DIR}/cmake/embed_table.cmake)
endfunction()
